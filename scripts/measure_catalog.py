#!/usr/bin/env python3
"""How soon a written site's catalog is usable on a slow phone: headless Chromium with 4x CPU slowdown and
DevTools' "Fast 4G" network (165 ms latency, 9 Mbit/s down, 1.5 Mbit/s up, each at 90%), cache disabled.

    pip install websocket-client
    python3 scripts/measure_catalog.py SITE_FOLDER [RUNS]

Serves the folder with Python's http.server (no compression, as a plain static host) and loads
models/index.html RUNS times (default 3). For each run it prints, from navigation start:
  rows  - the first page of results is in the document (usable without the script: links and pager work);
  ready - the script has drawn the view from catalog.json and its controls respond (#catalog[data-ready]);
  load  - the load event.
and the size of the page and of what the script fetches. Target: ready within 2 s (issue 13)."""
import json, os, socket, statistics, subprocess, sys, tempfile, time, urllib.request
import websocket

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsercheck import free_port
site = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3


http_port, cdp_port = free_port(), free_port()
static = subprocess.Popen([sys.executable, "-m", "http.server", str(http_port), "--bind", "127.0.0.1", "--directory", site],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
profile = tempfile.mkdtemp()
browser = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
                            f"--remote-debugging-port={cdp_port}", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{cdp_port}/json").read())
            page = next(t for t in targets if t["type"] == "page")
            break
        except Exception:
            time.sleep(0.1)
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
    counter = [0]
    def call(method, **params):
        counter[0] += 1
        ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("id") == counter[0]:
                return msg.get("result", {})
    call("Network.enable")
    call("Page.enable")
    call("Network.setCacheDisabled", cacheDisabled=True)
    call("Network.emulateNetworkConditions", offline=False, latency=165, downloadThroughput=9e6 / 8 * 0.9, uploadThroughput=1.5e6 / 8 * 0.9)
    call("Emulation.setCPUThrottlingRate", rate=4)
    probe = ("JSON.stringify({rows: !!document.querySelector('.catalog-table tbody tr'), ready: !!document.querySelector('#catalog[data-ready]'),"
             " load: document.readyState === 'complete'})")
    results = []
    for run in range(runs):
        call("Page.navigate", url="about:blank")
        time.sleep(0.3)
        start = time.monotonic()
        call("Page.navigate", url=f"http://127.0.0.1:{http_port}/models/index.html")
        seen = {}
        while len(seen) < 3 and time.monotonic() - start < 30:
            state = json.loads(call("Runtime.evaluate", expression=probe, returnByValue=True).get("result", {}).get("value", "{}"))
            for k, v in state.items():
                if v and k not in seen: seen[k] = time.monotonic() - start
            time.sleep(0.02)
        results.append(seen)
        print(f"run {run + 1}: rows {seen.get('rows', float('nan')):.2f} s, ready {seen.get('ready', float('nan')):.2f} s, load {seen.get('load', float('nan')):.2f} s")
    sizes = {name: os.path.getsize(os.path.join(site, name)) for name in ["models/index.html", "api/v1/catalog.json", "public/atlas.js", "public/style.css"]}
    print("bytes: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    ready = statistics.median(r.get("ready", float("inf")) for r in results)
    print(f"median ready {ready:.2f} s (target <= 2 s): " + ("met" if ready <= 2 else "MISSED"))
finally:
    browser.terminate()
    static.terminate()
