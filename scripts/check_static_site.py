#!/usr/bin/env python3
"""Checks a written site in headless Chromium against the server, for the same database.

    python3 scripts/check_static_site.py SITE_FOLDER DATABASE [path/to/sftatlas]

1. Catalog parity: for several views (filters, search, numeric filters, average, gains, sorts, columns,
   pages) the browser-side catalog of the written site must show the same rows in the same order, the
   same cells, the same total, the same facet counts and the same checked boxes as the server's catalog
   page for that query.
2. Compare parity: the written compare page's table must equal the server's, cell for cell.
3. Interaction: a harness page drives the catalog (ticking facets, clicking a column head twice,
   choosing a column, going back) and logs what the page shows after each step.
Each page is loaded once over http:// under a sub-path (/atlas/) and once more from file:// for the
first view. Any console message (errors included) fails the check. Needs `chromium` on the PATH.
"""
import os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsercheck import arguments, free_port
site, database, binary = arguments()


def dump(url, budget=8000):
    r = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                        f"--virtual-time-budget={budget}", "--dump-dom", url], capture_output=True, text=True, timeout=120)
    return r.stdout, [l for l in r.stderr.splitlines() if ":CONSOLE" in l]

host = tempfile.mkdtemp()
os.symlink(site, os.path.join(host, "atlas"))
static_port, server_port = free_port(), free_port()
static = subprocess.Popen([sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1", "--directory", host],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
server = subprocess.Popen([binary, "serve", "--db", database, "--port", str(server_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(2)
failures = 0
try:
    row = r'name="ids" form="compare-form" value="([^"]+)"'
    ids = re.findall(row, urllib.request.urlopen(f"http://127.0.0.1:{server_port}/models/").read().decode())
    first_base = ids[0].split(".")[0]
    columns = [c for c in re.findall(r'name="col" value="([^"]+)"', urllib.request.urlopen(f"http://127.0.0.1:{server_port}/models/").read().decode())]
    queries = ["", f"base={first_base}&method=lora&sort={columns[1]}&order=desc", "dataset=none&sort=epochs&order=asc",
               f"sort={columns[7]}&order=asc&page=3", "samples=20000&sort=base&order=desc",
               f"method=full&cols={columns[-1]},{columns[1]}&sort={columns[-1]}&order=desc&page=2", "epochs=3&epochs=10&sort=samples&order=desc",
               # Search, numeric filters, the average and gains (issue 13): each must match on both sides.
               f"q={first_base}+lora", "q=ep3+full&sort=average&order=desc", f"{columns[0]}__gte=20&{columns[1]}__lt=60&sort={columns[0]}&order=asc",
               "view=gain&sort=average&order=desc", f"view=gain&{columns[2]}__gt=0&sort={columns[2]}&order=desc",
               f"average__gte=40&average__lte=45&sort=average&order=asc", f"{columns[2]}__isnull=1", f"q=magicoder&view=gain&cols={columns[3]},{columns[5]}&sort=average&order=desc",
               # The source facet (issue 14): with a user's runs ingested, the release or theirs.
               "source=release&sort=average&order=desc", "findings=yes&sort=average&order=desc", "finding=collapsed&finding=duplicate&view=gain", f"{'source=runs.csv' if 'runs.csv' in urllib.request.urlopen(f'http://127.0.0.1:{server_port}/api/v1/catalog.json').read().decode() else 'source=release'}&view=gain"]
    cells = lambda h: re.findall(r'<td class="num"[^>]*>([^<]*)</td>', h)
    facet = r'<input type="(?:checkbox|radio)" name="(\w+)" value="([^"]*)"[^>]*> [^<]*<span class="count">(\d+)</span>'
    checked = r'<input type="checkbox" name="(\w+)" value="([^"]+)" checked'
    targets = [(f"http://127.0.0.1:{static_port}/atlas/", q) for q in queries] + [("file://" + site + "/", queries[1])]
    for base, q in targets:
        dom, console = dump(base + "models/index.html" + ("?" + q if q else ""))
        try:
            expected = urllib.request.urlopen(f"http://127.0.0.1:{server_port}/models/" + ("?" + q if q else "")).read().decode()
        except urllib.error.HTTPError as e:
            print(f"FAIL {q}: the server answered {e.code}"); failures += 1; continue
        body = lambda h: h.split("<tbody>")[1].split("</tbody>")[0]
        # Empty lists would compare equal: the server's page must have rows and facets for the check to count.
        same = (len(re.findall(row, body(expected))) > 0 and len(re.findall(facet, expected)) > 0 and re.findall(row, body(dom)) == re.findall(row, body(expected)) and re.findall(facet, dom) == re.findall(facet, expected)
                and cells(body(dom)) == cells(body(expected))
                and sorted(re.findall(checked, dom)) == sorted(re.findall(checked, expected))
                and re.search(r'id="catalog-summary">(\d+) of', dom).group(1) == re.search(r"(\d+) of \d+ models match", expected).group(1))
        ok = same and not console
        failures += not ok
        print(("ok  " if ok else "FAIL") + f" catalog {base.split(':')[0]} ?{q}: {len(re.findall(row, body(dom)))} rows, {len(re.findall(facet, dom))} facet values" + (f"; console: {console[:3]}" if console else ""))

    # A written /models/page/<n>/ document shows the server's ?page=<n>, with and without its script.
    dom, console = dump(f"http://127.0.0.1:{static_port}/atlas/models/page/3/index.html")
    raw = open(os.path.join(site, "models/page/3/index.html")).read()
    expected = urllib.request.urlopen(f"http://127.0.0.1:{server_port}/models/?page=3").read().decode()
    rows3 = re.findall(row, body(expected))
    ok = len(rows3) > 0 and re.findall(row, body(dom)) == rows3 and re.findall(row, body(raw)) == rows3 and not console
    failures += not ok
    print(("ok  " if ok else "FAIL") + f" catalog page 3 of the written site: {len(re.findall(row, body(dom)))} rows with the script, {len(re.findall(row, body(raw)))} without" + (f"; console: {console[:3]}" if console else ""))

    pick = ",".join(ids[:3])
    dom, console = dump(f"http://127.0.0.1:{static_port}/atlas/compare/index.html?ids={pick}")
    expected = urllib.request.urlopen(f"http://127.0.0.1:{server_port}/compare/?ids={pick}").read().decode()
    table = lambda h: h.split("<tbody>")[1].split("</tbody>")[0]
    ok = len(cells(table(expected))) > 0 and cells(table(dom)) == cells(table(expected)) and "<svg" in dom and not console
    failures += not ok
    print(("ok  " if ok else "FAIL") + f" compare {pick}: {len(cells(table(dom)))} cells, chart {'drawn' if '<svg' in dom else 'missing'}" + (f"; console: {console[:3]}" if console else ""))

    with open(os.path.join(host, "interact.html"), "w") as f:
        f.write(open(os.path.join(os.path.dirname(__file__), "interact.html")).read())
    dom, console = dump(f"http://127.0.0.1:{static_port}/interact.html", 12000)
    log = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1)
    print("\n".join("     " + l for l in log.replace("&amp;", "&").splitlines()))
    ok = log.strip().endswith("done") and "ERROR" not in log and not console
    failures += not ok
    print(("ok  " if ok else "FAIL") + " interaction" + (f"; console: {console[:3]}" if console else ""))
finally:
    for p in (static, server):
        p.send_signal(signal.SIGTERM)
        p.wait()
    shutil.rmtree(host)
print("all browser checks passed" if failures == 0 else f"{failures} browser checks failed")
sys.exit(1 if failures else 0)
