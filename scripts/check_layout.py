#!/usr/bin/env python3
"""Looks at pages as a reader would, in headless Chromium, on the server and on a written site alike, at
1280x900 and 390x844.

    python3 scripts/check_layout.py SITE_FOLDER DATABASE [path/to/sftatlas]

One local origin serves the harness, the written site under /site/ and the server under /srv/ (proxied),
so the harness can measure pages inside same-origin frames of each width. It checks that
- no page's content is wider than the viewport (the document does not scroll sideways);
- the catalog shows at least 6 score columns without scrolling sideways at 1280 px, and at 390 px the
  model column plus the column it is sorted by;
- the scatter explorer draws as many points as its summary says it plots, and that number matches the
  server's (served PNG image map, written-site SVG);
- no page logs anything to the console (errors included).
Exits 1 when any check fails. Needs `chromium` on the PATH."""
import http.server, json, os, re, signal, socket, subprocess, sys, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsercheck import arguments, free_port
site, database, binary = arguments()


server_port, port = free_port(), free_port()
server = subprocess.Popen([binary, "serve", "--db", database, "--port", str(server_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(2)
first = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{server_port}/api/v1/models.json?limit=3&dataset=lima").read())["rows"]
ids = [r["id"] for r in first]
main = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{server_port}/api/v1/models.json?limit=0").read())["columns"]

# Pages as (server path, written path); a query applies to both.
pages = [("/", "index.html"), ("/models/", "models/index.html"), (f"/models/?sort={main[7]}&order=desc", f"models/index.html?sort={main[7]}&order=desc"),
         ("/models/?view=gain&sort=average&order=desc&q=lora", "models/index.html?view=gain&sort=average&order=desc&q=lora"),
         (f"/models/{ids[0]}/", f"models/{ids[0]}/index.html"), (f"/compare/?ids={','.join(ids)}", f"compare/index.html?ids={','.join(ids)}"),
         ("/explore/", "explore/index.html"), (f"/explore/?x={main[7]}&y={main[9]}&color=dataset&method=full", f"explore/index.html?x={main[7]}&y={main[9]}&color=dataset&method=full"),
         ("/figures/", "figures/index.html"), ("/figures/gain-matrix-full/", "figures/gain-matrix-full/index.html"), ("/claims/", "claims/index.html"),
         ("/downloads/", "downloads/index.html"), ("/quality/", "quality/index.html"), ("/quality/collapsed/", "quality/collapsed/index.html"), ("/bases/", "bases/index.html"), ("/datasets/", "datasets/index.html"), ("/benchmarks/", "benchmarks/index.html"),
         (f"/benchmarks/{main[0]}/", f"benchmarks/{main[0]}/index.html"), ("/datasets/lima/", "datasets/lima/index.html")]
targets = [("/srv" + s, w) for s, _ in pages for w in (1280, 390)] + [("/site/" + p, w) for _, p in pages for w in (1280, 390)]

HARNESS = """<!DOCTYPE html><html><body><pre id="out">pending</pre><script>
var targets = %s, out = [], k = 0;
function log(s) { out.push(s); document.getElementById("out").textContent = out.join("\\n"); }
function next() {
  if (k >= targets.length) { log("done"); return; }
  var t = targets[k++], f = document.createElement("iframe");
  f.width = t[1]; f.height = t[1] === 390 ? 844 : 900; f.style.border = "0";
  f.onload = function () { setTimeout(function () { try { measure(f, t); } catch (e) { log("FAIL " + t[1] + " " + t[0] + ": " + e); } f.remove(); next(); }, 900); };
  f.src = t[0]; document.body.appendChild(f);
}
function measure(f, t) {
  var d = f.contentDocument, w = t[1], root = d.documentElement, problems = [], notes = [];
  if (root.scrollWidth > root.clientWidth + 1) problems.push("content " + root.scrollWidth + " px wide in a " + root.clientWidth + " px viewport");
  var wrap = d.querySelector(".catalog-wrap");
  if (wrap) {
    var edge = Math.min(wrap.getBoundingClientRect().right, root.clientWidth) + 1;
    var heads = Array.prototype.filter.call(d.querySelectorAll(".catalog-table thead th.num"), function (th) { return !/^Average/.test(th.textContent); });
    var seen = heads.filter(function (th) { return th.getBoundingClientRect().right <= edge; }).length;
    var sorted = d.querySelector(".catalog-table thead th[aria-sort]"), model = d.querySelector(".catalog-table thead th.model");
    notes.push(seen + " score columns in view");
    if (w === 1280 && seen < 6) problems.push("only " + seen + " score columns in view");
    if (w === 390 && (!model || model.getBoundingClientRect().right > edge)) problems.push("the model column is not in view");
    if (w === 390 && sorted && sorted.getBoundingClientRect().right > edge) problems.push("the sorted column is not in view");
  }
  var summary = d.getElementById("explore-summary");
  if (summary) {
    var said = parseInt(summary.textContent, 10), drawn = d.querySelectorAll("svg a.point").length || d.querySelectorAll("map area").length;
    notes.push(said + " points said, " + drawn + " drawn");
    if (said !== drawn) problems.push("explore says " + said + " points but draws " + drawn);
  }
  log((problems.length ? "FAIL " : "ok   ") + w + " " + t[0] + (notes.length ? " (" + notes.join("; ") + ")" : "") + (problems.length ? ": " + problems.join("; ") : ""));
}
next();
</script></body></html>""" % json.dumps(targets)

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path == "/harness.html":
            body, ctype, status = HARNESS.encode(), "text/html; charset=utf-8", 200
        elif self.path.startswith("/site/"):
            rel = urllib.request.url2pathname(self.path[6:].split("?")[0])
            full = os.path.normpath(os.path.join(site, rel))
            if os.path.isdir(full): full = os.path.join(full, "index.html")
            if not full.startswith(site) or not os.path.isfile(full):
                body, ctype, status = b"not found", "text/plain", 404
            else:
                body, status = open(full, "rb").read(), 200
                ext = os.path.splitext(full)[1]
                ctype = {".html": "text/html; charset=utf-8", ".js": "application/javascript", ".css": "text/css", ".json": "application/json",
                         ".png": "image/png", ".svg": "image/svg+xml", ".csv": "text/csv"}.get(ext, "application/octet-stream")
        else:
            try:
                # /srv/… is a server page; the assets and API documents it links from the root come through as they are.
                path = self.path[4:] if self.path.startswith("/srv/") else self.path
                r = urllib.request.urlopen(f"http://127.0.0.1:{server_port}" + path)
                body, ctype, status = r.read(), r.headers.get("Content-Type"), r.status
            except urllib.error.HTTPError as e:
                body, ctype, status = e.read(), e.headers.get("Content-Type"), e.code
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

# The server's pages link from its root ("/models/…"); under /srv/ the harness only loads them, it does not follow links.
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
failures = 0
try:
    r = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                        "--virtual-time-budget=120000", "--dump-dom", f"http://127.0.0.1:{port}/harness.html"], capture_output=True, text=True, timeout=600)
    log = re.search(r'<pre id="out">(.*?)</pre>', r.stdout, re.S).group(1).replace("&amp;", "&")
    print(log)
    console = [l for l in r.stderr.splitlines() if ":CONSOLE" in l]
    # The explorer plots the same number of points on the server and on the written site, view for view.
    said = {}
    for line in log.splitlines():
        m = re.match(r"ok   (\d+) /(srv|site)/(?:explore/(?:index\.html)?)(\S*) \((\d+) points said", line)
        if m: said.setdefault((m.group(1), m.group(3)), {})[m.group(2)] = m.group(4)
    for key, sides in sorted(said.items()):
        same = len(sides) == 2 and len(set(sides.values())) == 1
        failures += not same
        print(("ok   " if same else "FAIL ") + f"explore {key[0]} {key[1] or '(default view)'}: server {sides.get('srv')}, written site {sides.get('site')} points")
    failures += log.count("FAIL") + (0 if log.strip().endswith("done") else 1) + len(console)
    for l in console[:10]: print("FAIL console: " + l[l.find("CONSOLE"):][:300])
finally:
    server.send_signal(signal.SIGTERM)
    server.wait()
    httpd.shutdown()
print("all layout checks passed" if failures == 0 else f"{failures} layout checks failed")
sys.exit(1 if failures else 0)
