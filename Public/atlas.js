// SFT Atlas in the browser: the catalog's filters, facet counts, sorting, columns and pages, and the
// compare page, for a written (static) site with no server behind it. It reads api/v1/catalog.json and
// follows the server's rules: facets count with every filter but their own, missing scores sort last
// in either direction, 50 models a page, and the same query parameters, so a permalink means the same
// view on the server and here. Without JavaScript the page still shows the full table.
"use strict";

(function () {
  var DIMENSIONS = ["base", "dataset", "method", "epochs", "samples", "schedule"];
  var BASE_FIELDS = 1 + DIMENSIONS.length; // id, then one field per dimension, then the scores

  // ---- Loading -------------------------------------------------------------------------------------

  // fetch() is refused for file:// pages, so there the same document is loaded as a script.
  function loadCatalog(element) {
    function viaScript() {
      return new Promise(function (resolve, reject) {
        if (window.SFTATLAS_CATALOG) { resolve(window.SFTATLAS_CATALOG); return; }
        var s = document.createElement("script");
        s.src = element.getAttribute("data-catalog-script");
        s.onload = function () { window.SFTATLAS_CATALOG ? resolve(window.SFTATLAS_CATALOG) : reject(new Error("catalog.js defined no catalog")); };
        s.onerror = function () { reject(new Error("could not load " + s.src)); };
        document.head.appendChild(s);
      });
    }
    if (location.protocol === "file:" || !window.fetch) return viaScript();
    return fetch(element.getAttribute("data-catalog"))
      .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.url); return r.json(); })
      .catch(viaScript);
  }

  function prepare(data) {
    data.columnIndex = {};
    data.columns.forEach(function (c, i) { data.columnIndex[c.id] = i; });
    data.text = {};   // dimension → value → label
    data.order = {};  // dimension → value → display position
    data.facets.forEach(function (f) {
      data.text[f.name] = {};
      data.order[f.name] = {};
      f.values.forEach(function (v, i) { data.text[f.name][v[0]] = v[1]; data.order[f.name][v[0]] = i; });
    });
    data.byId = {};
    data.runs.forEach(function (r, i) { data.byId[r[0]] = i; });
    return data;
  }

  // The run's value in a dimension as the filters see it ("none" where it has none).
  function facetValue(data, run, d) {
    var v = run[1 + DIMENSIONS.indexOf(d)];
    return v === null ? data.none : String(v);
  }
  function score(run, i) { return run[BASE_FIELDS + i]; }
  function isBase(run) { return run[2] === null; }

  // ---- Formatting, as the server formats -----------------------------------------------------------

  function fixed(x, digits, typographic) {
    if (x === null || !isFinite(x)) return "";
    var scale = Math.pow(10, digits), scaled = Math.round(Math.abs(x) * scale);
    var text = (scaled / scale).toFixed(digits);
    return (x < 0 && scaled > 0 ? (typographic ? "\u2212" : "-") : "") + text;
  }
  function signed(x, digits) { return (x > 0 && Math.round(x * Math.pow(10, digits)) > 0 ? "+" : "") + fixed(x, digits, true); }
  function gainStyle(gain, limit) {
    if (gain === null || !isFinite(gain)) return "";
    var t = Math.max(-1, Math.min(1, gain / limit)), c = t >= 0 ? [214, 96, 77] : [67, 147, 195], a = Math.abs(t) * 0.45;
    function mix(v) { return Math.round(255 * (1 - a) + v * a); }
    return "background:rgb(" + mix(c[0]) + "," + mix(c[1]) + "," + mix(c[2]) + ")";
  }
  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (ch) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch]; });
  }
  function segment(s) { return encodeURIComponent(s).replace(/[!'()*]/g, function (ch) { return "%" + ch.charCodeAt(0).toString(16).toUpperCase(); }); }
  function el(tag, attributes, children) {
    var e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { if (attributes[k] !== null && attributes[k] !== undefined) e.setAttribute(k, attributes[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  // ---- The catalog --------------------------------------------------------------------------------

  function readView(data, params) {
    var view = { filters: {}, sort: "", descending: false, columns: null, page: 1, ignored: [] };
    DIMENSIONS.forEach(function (d) {
      params.getAll(d).forEach(function (v) {
        if (!(v in data.text[d])) { view.ignored.push(d + "=" + v); return; }
        var picked = view.filters[d] = view.filters[d] || [];
        if (picked.indexOf(v) < 0) picked.push(v);
      });
    });
    var sort = params.get("sort");
    if (sort && (sort in data.columnIndex || DIMENSIONS.indexOf(sort) >= 0)) view.sort = sort;
    else if (sort) view.ignored.push("sort=" + sort);
    view.descending = params.get("order") === "desc";
    var chosen = [];
    params.getAll("cols").concat(params.getAll("col")).forEach(function (value) {
      value.split(",").forEach(function (id) {
        if (!id) return;
        if (id in data.columnIndex) { if (chosen.indexOf(id) < 0) chosen.push(id); } else view.ignored.push("col=" + id);
      });
    });
    view.columns = params.has("cols") || params.has("col") ? chosen : null;
    var page = parseInt(params.get("page") || "1", 10);
    view.page = page >= 1 ? page : 1;
    return view;
  }

  function shownColumns(data, view) {
    return view.columns !== null ? view.columns : data.columns.filter(function (c) { return c.main; }).map(function (c) { return c.id; });
  }

  // The query string of a view, with the server's parameter order.
  function queryOf(view, page) {
    var p = new URLSearchParams();
    DIMENSIONS.forEach(function (d) { (view.filters[d] || []).forEach(function (v) { p.append(d, v); }); });
    if (view.sort) { p.append("sort", view.sort); p.append("order", view.descending ? "desc" : "asc"); }
    if (view.columns !== null) p.append("cols", view.columns.join(","));
    if (page > 1) p.append("page", String(page));
    var s = p.toString().replace(/%2C/g, ","); // commas read better, and the server takes them either way
    return s ? "?" + s : "";
  }

  // Per run, a bit per dimension whose filter it fails.
  function mismatches(data, view) {
    return data.runs.map(function (run) {
      var mask = 0;
      DIMENSIONS.forEach(function (d, bit) {
        var wanted = view.filters[d];
        if (wanted && wanted.length && wanted.indexOf(facetValue(data, run, d)) < 0) mask |= 1 << bit;
      });
      return mask;
    });
  }

  // Positions of the matching runs in the view's order: missing values last in either direction,
  // ties by canonical position (reversed along with the rest when descending, as on the server).
  function ordered(data, view, masks) {
    var matching = [];
    masks.forEach(function (m, i) { if (m === 0) matching.push(i); });
    if (!view.sort) return view.descending ? matching.reverse() : matching;
    var valued = [], missing = [];
    var key;
    if (view.sort in data.columnIndex) {
      var ci = data.columnIndex[view.sort];
      key = function (i) { return score(data.runs[i], ci); };
    } else {
      var d = view.sort, column = 1 + DIMENSIONS.indexOf(d);
      key = function (i) { var v = data.runs[i][column]; return v === null ? null : data.order[d][String(v)]; };
    }
    matching.forEach(function (i) { (key(i) === null || key(i) === undefined ? missing : valued).push(i); });
    valued.sort(function (a, b) { return key(a) - key(b) || a - b; });
    if (view.descending) valued.reverse();
    return valued.concat(missing);
  }

  function facetCounts(data, masks, bit) {
    var others = ~(1 << bit), d = DIMENSIONS[bit], counts = {};
    masks.forEach(function (m, i) {
      if ((m & others) === 0) { var v = facetValue(data, data.runs[i], d); counts[v] = (counts[v] || 0) + 1; }
    });
    return counts;
  }

  function downloadLink(label, name, type, make) {
    var a = el("a", { href: "#", download: name }, [label]);
    a.addEventListener("click", function () {
      if (a.getAttribute("href") !== "#") URL.revokeObjectURL(a.getAttribute("href"));
      a.setAttribute("href", URL.createObjectURL(new Blob([make()], { type: type })));
    });
    return a;
  }

  function csvCell(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return String(value);
    var s = String(value);
    if (/^[=+\-@]/.test(s)) s = "'" + s; // formula injection, as the server neutralizes it
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function catalogApp(root, data) {
    var base = root.getAttribute("data-root");
    var modelsHref = base + "models/index.html";
    var summary = document.getElementById("catalog-summary");
    var form = root.querySelector("form.facets");
    var results = root.querySelector("section.results");
    var view;

    function modelHref(id) { return base + "models/" + segment(id) + "/index.html"; }

    function render() {
      var masks = mismatches(data, view), order = ordered(data, view, masks), columns = shownColumns(data, view);
      var pages = Math.max(1, Math.ceil(order.length / data.page_size));
      if (view.page > pages) view.page = pages;
      var shown = order.slice((view.page - 1) * data.page_size, view.page * data.page_size);

      // The summary, with this view as CSV and JSON made in the browser.
      summary.textContent = order.length + " of " + data.runs.length + " models match. ";
      function rowsJSON() {
        return JSON.stringify({ total: order.length, columns: columns, rows: order.map(function (i) {
          var r = data.runs[i], scores = {};
          columns.forEach(function (id) { scores[id] = score(r, data.columnIndex[id]); });
          return { id: r[0], base: r[1], dataset: r[2], method: r[3], epochs: isBase(r) ? null : r[4], samples: isBase(r) ? null : r[5], schedule: r[6], scores: scores };
        }) }, null, 1) + "\n";
      }
      function rowsCSV() {
        var lines = [["id", "base", "dataset", "method", "epochs", "samples", "schedule"].concat(columns).join(",")];
        order.forEach(function (i) {
          var r = data.runs[i];
          lines.push([r[0], r[1], r[2], r[3], isBase(r) ? null : r[4], isBase(r) ? null : r[5], r[6]].concat(columns.map(function (id) { return score(r, data.columnIndex[id]); })).map(csvCell).join(","));
        });
        return lines.join("\r\n") + "\r\n";
      }
      summary.appendChild(downloadLink("CSV", "models.csv", "text/csv", rowsCSV));
      summary.appendChild(document.createTextNode(" · "));
      summary.appendChild(downloadLink("JSON", "models.json", "application/json", rowsJSON));
      summary.appendChild(document.createTextNode(" of exactly this view · "));
      summary.appendChild(el("a", { href: modelsHref + queryOf(view, view.page) }, ["permalink"]));
      if (view.ignored.length) summary.appendChild(el("span", { class: "notice" }, [" Ignored unknown " + view.ignored.join(", ") + "."]));

      // The form: facets with counts, sort, columns.
      form.textContent = "";
      DIMENSIONS.forEach(function (d, bit) {
        var f = data.facets[bit], counts = facetCounts(data, masks, bit), selected = view.filters[d] || [];
        var fieldset = el("fieldset", {}, [el("legend", {}, [f.label])]);
        f.values.forEach(function (v) {
          if (!counts[v[0]]) return;
          fieldset.appendChild(el("label", {}, [
            el("input", { type: "checkbox", name: d, value: v[0], checked: selected.indexOf(v[0]) >= 0 ? "" : null }),
            " " + v[1] + " ", el("span", { class: "count" }, [String(counts[v[0]])]),
          ]));
        });
        form.appendChild(fieldset);
      });
      var sortSelect = el("select", { name: "sort", "aria-label": "Sort by" }, [el("option", { value: "" }, ["canonical order"])]);
      data.facets.forEach(function (f) { sortSelect.appendChild(el("option", { value: f.name }, [f.label])); });
      data.columns.forEach(function (c) { sortSelect.appendChild(el("option", { value: c.id }, [c.name])); });
      sortSelect.value = view.sort;
      var orderSelect = el("select", { name: "order", "aria-label": "Order" }, [el("option", { value: "asc" }, ["ascending"]), el("option", { value: "desc" }, ["descending"])]);
      orderSelect.value = view.descending ? "desc" : "asc";
      form.appendChild(el("fieldset", {}, [el("legend", {}, ["Sort"]), sortSelect, " ", orderSelect]));
      var columnSet = el("fieldset", { class: "columns" }, [el("legend", {}, ["Columns"])]);
      data.columns.forEach(function (c) {
        columnSet.appendChild(el("label", {}, [el("input", { type: "checkbox", name: "col", value: c.id, checked: columns.indexOf(c.id) >= 0 ? "" : null }), " " + c.name]));
      });
      form.appendChild(columnSet);
      form.appendChild(el("a", { href: modelsHref }, ["Reset"]));

      // The table and its pages.
      var headRow = el("tr");
      ["Model", "Base", "Dataset", "Method", "Samples", "Schedule", "Epochs"].forEach(function (label, i) {
        headRow.appendChild(el("th", { scope: "col", class: i >= 4 && i !== 5 ? "num" : null }, [label]));
      });
      columns.forEach(function (id) {
        var c = data.columns[data.columnIndex[id]], sorted = Object.assign({}, view);
        sorted.sort = id;
        sorted.descending = !(view.sort === id && view.descending);
        var mark = view.sort === id ? (view.descending ? " \u2193" : " \u2191") : "";
        headRow.appendChild(el("th", { scope: "col", class: "num" }, [el("a", { href: modelsHref + queryOf(sorted, 1), "data-view": "" }, [c.name + mark])]));
      });
      var body = el("tbody");
      shown.forEach(function (i) {
        var r = data.runs[i], baseRow = isBase(r);
        var tr = el("tr", {}, [
          el("td", {}, [el("a", { href: modelHref(r[0]) }, [r[0]])]),
          el("td", {}, [el("a", { href: base + "bases/" + segment(r[1]) + "/index.html" }, [data.text.base[r[1]] || r[1]])]),
          el("td", {}, [baseRow ? "\u2014" : el("a", { href: base + "datasets/" + segment(r[2]) + "/index.html" }, [data.text.dataset[r[2]] || r[2]])]),
          el("td", {}, [baseRow ? "\u2014" : data.text.method[r[3]] || r[3]]),
          el("td", { class: "num" }, [baseRow ? "\u2014" : data.text.samples[String(r[5])] || String(r[5])]),
          el("td", {}, [baseRow ? "\u2014" : r[6]]),
          el("td", { class: "num" }, [baseRow ? "\u2014" : String(r[4])]),
        ]);
        columns.forEach(function (id) {
          var v = score(r, data.columnIndex[id]);
          tr.appendChild(el("td", { class: "num" }, [v === null ? "n/a" : fixed(v, 1)]));
        });
        body.appendChild(tr);
      });
      var table = el("table", {}, [el("caption", {}, ["Scores; n/a where the release has no value."]), el("thead", {}, [headRow]), body]);
      var pager = el("nav", { class: "pages", "aria-label": "Pages" });
      if (view.page > 1) pager.appendChild(el("a", { href: modelsHref + queryOf(view, view.page - 1), rel: "prev", "data-view": "" }, ["\u2190 previous"]));
      pager.appendChild(document.createTextNode(" Page " + view.page + " of " + pages + " "));
      if (view.page < pages) pager.appendChild(el("a", { href: modelsHref + queryOf(view, view.page + 1), rel: "next", "data-view": "" }, ["next \u2192"]));
      results.textContent = "";
      results.appendChild(el("div", { class: "table-wrap" }, [table]));
      results.appendChild(pager);
    }

    function go(search, push) {
      view = readView(data, new URLSearchParams(search));
      if (push) history.pushState(null, "", modelsHref.split("/").pop() + queryOf(view, view.page));
      render();
    }

    // A change in the form is a new view, from page 1.
    form.addEventListener("change", function () {
      var p = new URLSearchParams();
      DIMENSIONS.forEach(function (d) {
        form.querySelectorAll('input[name="' + d + '"]:checked').forEach(function (i) { p.append(d, i.value); });
      });
      var sort = form.querySelector('select[name="sort"]').value;
      if (sort) { p.append("sort", sort); p.append("order", form.querySelector('select[name="order"]').value); }
      var cols = Array.prototype.map.call(form.querySelectorAll('input[name="col"]:checked'), function (i) { return i.value; });
      var defaults = shownColumns(data, { columns: null });
      if (cols.join(",") !== defaults.join(",")) p.append("cols", cols.join(","));
      go("?" + p.toString(), true);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    results.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[data-view]");
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      go(a.getAttribute("href").replace(/^[^?]*/, ""), true);
      window.scrollTo(0, root.offsetTop);
    });
    window.addEventListener("popstate", function () { go(location.search, false); });
    go(location.search, false);
  }

  // ---- Compare ------------------------------------------------------------------------------------

  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];

  function svg(tag, attributes, children) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  // Grouped bars of the main benchmarks, one bar per model, as the server's PNG draws them.
  function compareChart(data, runs) {
    var main = data.columns.filter(function (c) { return c.main; });
    var values = [];
    main.forEach(function (c) { runs.forEach(function (r) { var v = score(r, data.columnIndex[c.id]); if (v !== null) values.push(v); }); });
    // Ticks at a round step (1, 2 or 5 × 10^k), the axis ending on one.
    var high = Math.max(1, Math.max.apply(null, values.concat([0]))), low = Math.min(0, Math.min.apply(null, values.concat([0])));
    var raw = (high - low) / 4, magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * magnitude; }).filter(function (s) { return s >= raw; })[0];
    var top = Math.ceil(high / step) * step, bottom = Math.floor(low / step) * step;
    var W = 760, H = 370, left = 44, right = 10, upper = 30, lower = 130, plotW = W - left - right, plotH = H - upper - lower;
    function y(v) { return upper + plotH * (top - v) / (top - bottom); }
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + (H + 20 * Math.ceil(runs.length / 2)), role: "img", "aria-label": "Main benchmark scores of the compared models" });
    chart.appendChild(svg("text", { x: 8, y: 18, "font-weight": "bold", "font-size": 13 }, ["Main benchmarks"]));
    for (var t = bottom; t <= top + step / 2; t += step) {
      chart.appendChild(svg("line", { x1: left, x2: left + plotW, y1: y(t), y2: y(t), stroke: "#ddd" }));
      chart.appendChild(svg("text", { x: left - 4, y: y(t) + 4, "text-anchor": "end", "font-size": 10, fill: "#57606a" }, [fixed(t, step < 1 ? 1 : 0)]));
    }
    var groupW = plotW / main.length, barW = groupW * 0.8 / runs.length;
    main.forEach(function (c, g) {
      runs.forEach(function (r, s) {
        var v = score(r, data.columnIndex[c.id]);
        if (v === null) return;
        var bar = svg("rect", { x: left + g * groupW + groupW * 0.1 + s * barW, y: Math.min(y(v), y(0)), width: Math.max(barW - 1, 1), height: Math.abs(y(0) - y(v)), fill: PALETTE[s % PALETTE.length] });
        bar.appendChild(svg("title", {}, [r[0] + " \u00b7 " + c.name + ": " + fixed(v, 2)]));
        chart.appendChild(bar);
      });
      var lx = left + (g + 0.5) * groupW, ly = upper + plotH + 12;
      chart.appendChild(svg("text", { x: lx, y: ly, "text-anchor": "end", "font-size": 10, transform: "rotate(-35 " + lx + " " + ly + ")" }, [c.name]));
    });
    runs.forEach(function (r, s) {
      var lx = 8 + (s % 2) * (W / 2), ly = H - 10 + 20 * Math.floor(s / 2);
      chart.appendChild(svg("rect", { x: lx, y: ly - 9, width: 10, height: 10, fill: PALETTE[s % PALETTE.length] }));
      chart.appendChild(svg("text", { x: lx + 14, y: ly, "font-size": 10 }, [r[0]]));
    });
    return el("figure", {}, [chart, el("figcaption", {}, ["Main benchmark scores of the compared models, one bar per model."])]);
  }

  function compareApp(root, data) {
    var base = root.getAttribute("data-root");
    var results = document.getElementById("compare-results");
    var heading = document.getElementById("compare-heading");
    var input = document.getElementById("compare-ids");

    function render() {
      var params = new URLSearchParams(location.search);
      var ids = [];
      params.getAll("ids").forEach(function (v) { v.split(",").forEach(function (id) { if (id) ids.push(id); }); });
      results.textContent = "";
      heading.textContent = "Compare models";
      input.value = ids.join(",");
      if (!ids.length) return;
      var unknown = ids.filter(function (id) { return !(id in data.byId); });
      if (ids.length < 2 || ids.length > 8 || unknown.length) {
        results.appendChild(el("p", { class: "notice", role: "alert" }, [unknown.length
          ? "No model has the id " + unknown.map(function (u) { return "\u2018" + u + "\u2019"; }).join(", ") + ". Ids look like " + data.runs[0][0] + "."
          : "Compare takes 2 to 8 model ids; " + ids.length + " given."]));
        return;
      }
      var runs = ids.map(function (id) { return data.runs[data.byId[id]]; });
      heading.textContent = "Compare " + runs.length + " models";
      var head = el("tr", {}, [el("th", { scope: "col" }, ["Benchmark"])]);
      runs.forEach(function (r) { head.appendChild(el("th", { scope: "col", class: "num" }, [el("a", { href: base + "models/" + segment(r[0]) + "/index.html" }, [r[0]])])); });
      var body = el("tbody");
      data.columns.forEach(function (c, ci) {
        var first = score(runs[0], ci), tr = el("tr", {}, [el("td", {}, [c.name])]);
        runs.forEach(function (r, i) {
          var v = score(r, ci);
          if (i === 0) { tr.appendChild(el("td", { class: "num" }, [v === null ? "n/a" : fixed(v, 2)])); return; }
          var d = v === null || first === null ? null : v - first;
          tr.appendChild(el("td", { class: "num", style: gainStyle(d, 20) || null }, [d === null ? "n/a" : signed(d, 2)]));
        });
        body.appendChild(tr);
      });
      results.appendChild(el("div", { class: "table-wrap" }, [el("table", {}, [
        el("caption", {}, ["Scores; the first model's score, then each other model's difference from it."]), el("thead", {}, [head]), body])]));
      results.appendChild(compareChart(data, runs));
      document.title = heading.textContent + " \u00b7 SFT Atlas";
    }
    window.addEventListener("popstate", render);
    render();
  }

  // ---- Start --------------------------------------------------------------------------------------

  function start(id, app) {
    var root = document.getElementById(id);
    if (!root) return;
    loadCatalog(root).then(function (data) { app(root, prepare(data)); }).catch(function (error) {
      var note = el("p", { class: "notice", role: "alert" }, ["The interactive view could not load its data (" + error.message + "); the full table below still works."]);
      root.parentNode.insertBefore(note, root);
    });
  }
  start("catalog", catalogApp);
  start("compare-app", compareApp);
})();
