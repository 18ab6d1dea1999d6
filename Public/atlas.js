// SFT Atlas in the browser: the catalog's filters, facet counts, sorting, columns and pages, and the
// compare page, for a written (static) site with no server behind it. It reads api/v1/catalog.json and
// follows the server's rules: facets count with every filter but their own, missing scores sort last
// in either direction, 50 models a page, and the same query parameters, so a permalink means the same
// view on the server and here. Without JavaScript the page still shows the full table.
"use strict";

(function () {
  var DIMENSIONS = ["base", "dataset", "method", "epochs", "samples", "schedule", "source"];
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
    // Per run: its base model's row (null for a base row), and the text the search looks in.
    var baseRow = {};
    data.runs.forEach(function (r, i) { if (r[2] === null && !(r[1] in baseRow)) baseRow[r[1]] = i; });
    data.baseOf = data.runs.map(function (r) { return r[2] === null || !(r[1] in baseRow) ? null : baseRow[r[1]]; });
    data.kindsOf = data.runs.map(function (r) { var last = r[BASE_FIELDS + data.columns.length]; return Array.isArray(last) ? last : []; });
    data.haystacks = data.runs.map(function (r) {
      return [r[0], data.text.base[r[1]] || r[1]].concat(r[2] === null ? [] : [data.text.dataset[r[2]] || r[2]]).join(" ").toLowerCase();
    });
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
    var t = Math.max(-1, Math.min(1, gain / limit)), c = t >= 0 ? [33, 102, 172] : [224, 130, 20], a = Math.abs(t) * 0.45;
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

  // ---- The catalog: its rules, as CatalogIndex.swift and Site+CatalogView.swift state them ----------

  var AVERAGE = "average", OPS = ["gte", "gt", "lte", "lt", "isnull"];
  // The audit's kinds (AuditResult.Kind), the catalog's finding filter offers all but plan gaps.
  var FINDING_KINDS = ["duplicate", "collapsed", "incomplete", "scale", "plan-gap"];
  var FINDING_TITLES = { duplicate: "Duplicated results", collapsed: "Collapsed scores", incomplete: "Incomplete blocks", scale: "Scale violations" };
  var FACTOR = { percent: 1, unknown: 1, fraction: 100, rating: 10 };   // onto 0–100, for averages
  var DECIMALS = { percent: 1, fraction: 3, rating: 2, unknown: 2 };    // as each unit is shown
  var NORMALIZATION = "the normalized mean: percentages as they are, 1\u201310 ratings \u00d710, 0\u20131 fractions \u00d7100; empty when any column is missing";

  // A plain decimal number, the grammar the server accepts (no hex, nan, inf or spaces).
  function decimal(s) {
    if (s.length > 40 || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    var v = Number(s);
    return isFinite(v) && Math.abs(v) <= 1e9 ? (v === 0 ? 0 : v) : null;
  }
  function tidy(x) { return Math.abs(x) < 1e6 ? (Math.sign(x) * Math.round(Math.abs(x) * 1e9) / 1e9 || 0) : x; }
  // The shortest text that reads back as x, as the server writes a bound's value.
  function plain(x) { return String(x); }

  function readView(data, params) {
    var view = { filters: {}, words: [], bounds: [], flagged: null, kinds: [], gain: false, sort: "", descending: false, columns: null, page: 1, ignored: [] };
    DIMENSIONS.forEach(function (d) {
      params.getAll(d).forEach(function (v) {
        if (!(v in data.text[d])) { view.ignored.push(d + "=" + v); return; }
        var picked = view.filters[d] = view.filters[d] || [];
        if (picked.indexOf(v) < 0) picked.push(v);
      });
      if (view.filters[d]) view.filters[d].sort(function (x, y) { return data.order[d][x] - data.order[d][y]; });
    });
    var findings = params.get("findings");
    if (findings === "yes" || findings === "no") view.flagged = findings === "yes"; else if (findings) view.ignored.push("findings=" + findings);
    params.getAll("finding").forEach(function (k) {
      if (FINDING_KINDS.indexOf(k) < 0) { view.ignored.push("finding=" + k); return; }
      if (view.kinds.indexOf(k) < 0) view.kinds.push(k);
    });
    view.kinds.sort(function (x, y) { return FINDING_KINDS.indexOf(x) - FINDING_KINDS.indexOf(y); });
    params.getAll("q").forEach(function (q) {
      q.toLowerCase().split(/\s+/).forEach(function (w) { if (w && view.words.indexOf(w) < 0) view.words.push(w); });
    });
    params.forEach(function (value, name) {
      var at = name.indexOf("__");
      if (at < 0 || value === "") return;
      var column = name.slice(0, at), op = name.slice(at + 2), v;
      if ((column !== AVERAGE && !(column in data.columnIndex)) || OPS.indexOf(op) < 0) { view.ignored.push(name); return; }
      if (op === "isnull") v = value === "1" ? 1 : value === "0" ? 0 : null; else v = decimal(value);
      if (v === null) { view.ignored.push(name + "=" + value); return; }
      if (!view.bounds.some(function (b) { return b.column === column && b.op === op && b.value === v; })) view.bounds.push({ column: column, op: op, value: v });
    });
    view.bounds.sort(function (x, y) {
      function rank(b) { return [b.column === AVERAGE ? -1 : data.columnIndex[b.column], OPS.indexOf(b.op), b.value]; }
      var p = rank(x), q = rank(y);
      return p[0] - q[0] || p[1] - q[1] || p[2] - q[2];
    });
    view.gain = params.get("view") === "gain";
    var sort = params.get("sort");
    if (sort && (sort in data.columnIndex || DIMENSIONS.indexOf(sort) >= 0 || sort === AVERAGE)) view.sort = sort;
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

  // The query string of a view, in the server's one order: facets, q, bounds, view, sort, cols, page.
  function queryOf(view, page) {
    var p = new URLSearchParams();
    DIMENSIONS.forEach(function (d) { (view.filters[d] || []).forEach(function (v) { p.append(d, v); }); });
    if (view.words.length) p.append("q", view.words.join(" "));
    if (view.flagged !== null) p.append("findings", view.flagged ? "yes" : "no");
    view.kinds.forEach(function (k) { p.append("finding", k); });
    view.bounds.forEach(function (b) { p.append(b.column + "__" + b.op, plain(b.value)); });
    if (view.gain) p.append("view", "gain");
    if (view.sort) { p.append("sort", view.sort); p.append("order", view.descending ? "desc" : "asc"); }
    else if (view.descending) p.append("order", "desc");
    if (view.columns !== null) p.append("cols", view.columns.join(","));
    if (page > 1) p.append("page", String(page));
    var s = p.toString().replace(/%2C/g, ","); // commas read better, and the server takes them either way
    return s ? "?" + s : "";
  }

  // The value shown for run i in column ci: its score, or its gain over its base model.
  function value(data, i, ci, gain) {
    var v = score(data.runs[i], ci);
    if (!gain) return v;
    var b = data.baseOf[i];
    if (b === null || v === null) return null;
    var bv = score(data.runs[b], ci);
    return bv === null ? null : v - bv;
  }
  function average(data, i, shown, gain) {
    if (!shown.length) return null;
    var sum = 0;
    for (var k = 0; k < shown.length; k++) {
      var v = value(data, i, shown[k], gain);
      if (v === null) return null;
      sum += v * FACTOR[data.columns[shown[k]].unit];
    }
    return sum / shown.length;
  }
  function admits(b, v) {
    switch (b.op) {
      case "isnull": return (v === null) === (b.value !== 0);
      case "gte": return v !== null && v >= b.value;
      case "gt": return v !== null && v > b.value;
      case "lte": return v !== null && v <= b.value;
      default: return v !== null && v < b.value;
    }
  }

  // Per run, a bit per dimension whose filter it fails, bit 6 for the search and bounds, bit 7 for the audit's.
  function mismatches(data, view, shown) {
    return data.runs.map(function (run, i) {
      var mask = 0;
      DIMENSIONS.forEach(function (d, bit) {
        var wanted = view.filters[d];
        if (wanted && wanted.length && wanted.indexOf(facetValue(data, run, d)) < 0) mask |= 1 << bit;
      });
      var kinds = data.kindsOf[i];
      var ok = view.words.every(function (w) { return data.haystacks[i].indexOf(w) >= 0; })
        && view.bounds.every(function (b) {
        return admits(b, b.column === AVERAGE ? average(data, i, shown, view.gain) : value(data, i, data.columnIndex[b.column], view.gain));
      });
      var audited = (view.flagged === null || view.flagged === (kinds.length > 0))
        && (!view.kinds.length || view.kinds.some(function (k) { return kinds.indexOf(k) >= 0; }));
      return mask | (ok ? 0 : 64) | (audited ? 0 : 128);
    });
  }

  // The audit facet's counts, with every filter but the audit's own: flagged, not flagged, per kind.
  function auditCounts(data, masks) {
    var out = { flagged: 0, clean: 0, kinds: {} };
    masks.forEach(function (m, i) {
      if ((m & 127) !== 0) return;
      var kinds = data.kindsOf[i];
      if (kinds.length) out.flagged++; else out.clean++;
      kinds.forEach(function (k) { out.kinds[k] = (out.kinds[k] || 0) + 1; });
    });
    return out;
  }

  // Positions of the matching runs in the view's order: missing values last in either direction,
  // ties by canonical position (reversed along with the rest when descending, as on the server).
  function ordered(data, view, masks, shown) {
    var matching = [];
    masks.forEach(function (m, i) { if (m === 0) matching.push(i); });
    if (!view.sort) return view.descending ? matching.reverse() : matching;
    var key;
    if (view.sort === AVERAGE) {
      key = function (i) { return average(data, i, shown, view.gain); };
    } else if (view.sort in data.columnIndex) {
      var ci = data.columnIndex[view.sort];
      key = function (i) { return value(data, i, ci, view.gain); };
    } else {
      var d = view.sort;
      key = function (i) { var v = facetValue(data, data.runs[i], d); return v === data.none ? null : data.order[d][v]; };
    }
    var valued = [], missing = [];
    matching.forEach(function (i) { var k = key(i); if (k === null || k === undefined) missing.push(i); else valued.push([k, i]); });
    valued.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var ranked = valued.map(function (p) { return p[1]; });
    if (view.descending) ranked.reverse();
    return ranked.concat(missing);
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

  // The shown columns in display order: the one sorted by first, then the average, then the rest.
  function displayColumns(view, ids) {
    var out = [AVERAGE].concat(ids), at = out.indexOf(view.sort);
    if (view.sort && view.sort !== AVERAGE && at > 0) out.unshift(out.splice(at, 1)[0]);
    return out;
  }

  // The form's controls, as CatalogForm.swift writes them.
  function formControls(data, view, masks, columns) {
    var nodes = [];
    var q = el("input", { type: "search", id: "catalog-q", name: "q", placeholder: "qwen lora ep3", maxlength: "200" });
    q.value = view.words.join(" ");
    nodes.push(el("p", { class: "search" }, [el("label", { for: "catalog-q" }, ["Search"]), " ", q]));
    function radio(v, label) { return el("label", {}, [el("input", { type: "radio", name: "view", value: v, checked: (v === "gain") === view.gain ? "" : null }), " " + label]); }
    nodes.push(el("fieldset", { class: "show" }, [el("legend", {}, ["Show"]), radio("scores", "Scores"), radio("gain", "Gain over the base model")]));
    var audit = el("fieldset", { class: "findings" }, [el("legend", {}, ["Audit findings"])]);
    var ac = auditCounts(data, masks);
    [["", "any", ac.flagged + ac.clean], ["yes", "flagged", ac.flagged], ["no", "not flagged", ac.clean]].forEach(function (o) {
      var on = o[0] === "" ? view.flagged === null : view.flagged === (o[0] === "yes");
      audit.appendChild(el("label", {}, [el("input", { type: "radio", name: "findings", value: o[0], checked: on ? "" : null }), " " + o[1] + " ",
        el("span", { class: "count" }, [String(o[2])])]));
    });
    ["duplicate", "collapsed", "incomplete", "scale"].forEach(function (k) {
      var n = ac.kinds[k] || 0, on = view.kinds.indexOf(k) >= 0;
      if (!n && !on) return;
      audit.appendChild(el("label", {}, [el("input", { type: "checkbox", name: "finding", value: k, checked: on ? "" : null }), " " + FINDING_TITLES[k] + " ",
        el("span", { class: "count" }, [String(n)])]));
    });
    nodes.push(audit);
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
      nodes.push(fieldset);
    });
    var stems = [AVERAGE].concat(columns), ranges = el("fieldset", { class: "ranges" }, [el("legend", {}, ["Range"])]);
    stems.forEach(function (stem) {
      var label = stem === AVERAGE ? "Average" : data.columns[data.columnIndex[stem]].name, row = el("div", { class: "range" }, [el("span", { class: "range-label" }, [label])]);
      [["gte", "min", "at least"], ["lte", "max", "at most"]].forEach(function (o) {
        var given = view.bounds.filter(function (b) { return b.column === stem && b.op === o[0]; })[0];
        row.appendChild(el("input", { type: "number", step: "any", name: stem + "__" + o[0], value: given ? plain(given.value) : "", placeholder: o[1], "aria-label": label + " " + o[2] }));
      });
      ranges.appendChild(row);
    });
    view.bounds.forEach(function (b) {
      if ((b.op === "gte" || b.op === "lte") && stems.indexOf(b.column) >= 0) return;
      ranges.appendChild(el("input", { type: "hidden", name: b.column + "__" + b.op, value: plain(b.value) }));
    });
    nodes.push(ranges);
    var sortSelect = el("select", { name: "sort" }, [el("option", { value: "" }, ["canonical order"]), el("option", { value: AVERAGE }, ["Average"])]);
    data.facets.forEach(function (f) { sortSelect.appendChild(el("option", { value: f.name }, [f.label])); });
    data.columns.forEach(function (c) { sortSelect.appendChild(el("option", { value: c.id }, [c.name])); });
    sortSelect.value = view.sort;
    var orderSelect = el("select", { name: "order" }, [el("option", { value: "asc" }, ["ascending"]), el("option", { value: "desc" }, ["descending"])]);
    orderSelect.value = view.descending ? "desc" : "asc";
    nodes.push(el("fieldset", { class: "sort" }, [el("legend", {}, ["Sort"]), el("label", {}, ["By ", sortSelect]), " ", el("label", {}, ["Order ", orderSelect])]));
    var columnSet = el("fieldset", { class: "columns" }, [el("legend", {}, ["Columns"])]);
    data.columns.forEach(function (c) {
      columnSet.appendChild(el("label", {}, [el("input", { type: "checkbox", name: "col", value: c.id, checked: columns.indexOf(c.id) >= 0 ? "" : null }), " " + c.name]));
    });
    nodes.push(columnSet);
    return nodes;
  }

  // The query of the form's current state: a new view, from page 1.
  function formQuery(data, form) {
    var p = new URLSearchParams(), fd = new FormData(form);
    fd.forEach(function (v, name) {
      if (name === "col" || v === "" || name === "page" || (name === "view" && v === "scores")) return;
      if (name === "order" && !fd.get("sort")) return;
      p.append(name, v);
    });
    var cols = fd.getAll("col"), defaults = shownColumns(data, { columns: null });
    if (cols.join(",") !== defaults.join(",")) p.append("cols", cols.join(","));
    return "?" + p.toString();
  }

  function catalogApp(root, data) {
    var base = root.getAttribute("data-root");
    var modelsHref = base + "models/index.html";
    var summary = document.getElementById("catalog-summary");
    var form = root.querySelector("form.facets");
    var results = root.querySelector("section.results");
    var compareForm = document.getElementById("compare-form");
    var picked = [];
    var view;

    function modelHref(id) { return base + "models/" + segment(id) + "/index.html"; }

    function render() {
      var columns = shownColumns(data, view), shown = columns.map(function (id) { return data.columnIndex[id]; });
      var masks = mismatches(data, view, shown), order = ordered(data, view, masks, shown);
      var pages = Math.max(1, Math.ceil(order.length / data.page_size));
      if (view.page > pages) view.page = pages;
      var page = order.slice((view.page - 1) * data.page_size, view.page * data.page_size);
      var key = view.gain ? "gains" : "scores";
      function cellValue(i, ci) { var v = value(data, i, ci, view.gain); return v === null || !view.gain ? v : tidy(v); }
      function avg(i) { var v = average(data, i, shown, view.gain); return v === null ? null : tidy(v); }

      // The summary, with this view as CSV and JSON made in the browser (every matching row).
      summary.textContent = order.length + " of " + data.runs.length + " models match. ";
      function rowsJSON() {
        return JSON.stringify({ total: order.length, view: view.gain ? "gain" : "scores", columns: columns, average: "over the columns listed: " + NORMALIZATION, rows: order.map(function (i) {
          var r = data.runs[i], values = {}, row;
          columns.forEach(function (id) { values[id] = cellValue(i, data.columnIndex[id]); });
          row = { id: r[0], base: r[1], dataset: r[2], method: r[3], epochs: isBase(r) ? null : r[4], samples: isBase(r) ? null : r[5], schedule: r[6] };
          row[key] = values;
          row.average = avg(i);
          return row;
        }) }, null, 1) + "\n";
      }
      function rowsCSV() {
        var lines = [["id", "base", "dataset", "method", "epochs", "samples", "schedule"].concat(columns, ["average"]).join(",")];
        order.forEach(function (i) {
          var r = data.runs[i];
          lines.push([r[0], r[1], r[2], r[3], isBase(r) ? null : r[4], isBase(r) ? null : r[5], r[6]]
            .concat(columns.map(function (id) { return cellValue(i, data.columnIndex[id]); }), [avg(i)]).map(csvCell).join(","));
        });
        return lines.join("\r\n") + "\r\n";
      }
      summary.appendChild(downloadLink("CSV", view.gain ? "models-gain.csv" : "models.csv", "text/csv", rowsCSV));
      summary.appendChild(document.createTextNode(" \u00b7 "));
      summary.appendChild(downloadLink("JSON", "models.json", "application/json", rowsJSON));
      summary.appendChild(document.createTextNode(" of exactly this view \u00b7 "));
      summary.appendChild(el("a", { href: modelsHref + queryOf(view, view.page) }, ["permalink"]));
      summary.appendChild(document.createTextNode(" \u00b7 "));
      var plotted = Object.assign({}, view, { sort: "", descending: false });
      summary.appendChild(el("a", { href: base + "explore/index.html" + queryOf(plotted, 1) }, ["plot these models"]));
      if (view.ignored.length) summary.appendChild(el("span", { class: "notice" }, [" Ignored unknown " + view.ignored.join(", ") + "."]));

      form.textContent = "";
      formControls(data, view, masks, columns).forEach(function (n) { form.appendChild(n); });
      form.appendChild(el("p", { class: "apply" }, [el("a", { href: modelsHref }, ["Reset"])]));

      // The table, as CatalogTable.swift writes it.
      var ids = displayColumns(view, columns);
      var headRow = el("tr", {}, [el("th", { scope: "col", class: "pick" }, [el("span", { class: "visually-hidden" }, ["Compare"])]), el("th", { scope: "col", class: "model" }, ["Model"])]);
      ids.forEach(function (id) {
        var c = id === AVERAGE ? null : data.columns[data.columnIndex[id]], sorted = Object.assign({}, view);
        sorted.sort = id;
        sorted.descending = !(view.sort === id && view.descending);
        var state = view.sort === id ? (view.descending ? "descending" : "ascending") : null;
        headRow.appendChild(el("th", { scope: "col", class: "num", "aria-sort": state, title: c ? null : "Average: " + NORMALIZATION },
          [el("a", { href: modelsHref + queryOf(sorted, 1), "data-view": "" }, [(c ? c.name : "Average") + (state ? (state === "descending" ? " \u2193" : " \u2191") : "")])]));
      });
      var body = el("tbody");
      page.forEach(function (i) {
        var r = data.runs[i];
        var badges = (r[7] !== "release" ? ["yours"] : []).concat(isBase(r) ? ["base model"] : [data.text.method[r[3]] || r[3], data.text.samples[String(r[5])] || String(r[5]), r[6], r[4] + " ep"]);
        var name = el("a", { href: modelHref(r[0]) });
        r[0].split(".").forEach(function (part, k) { if (k) { name.appendChild(document.createTextNode(".")); name.appendChild(el("wbr")); } name.appendChild(document.createTextNode(part)); });
        var tick = el("input", { type: "checkbox", name: "ids", form: "compare-form", value: r[0], "aria-label": "Compare " + r[0], checked: picked.indexOf(r[0]) >= 0 ? "" : null });
        var tr = el("tr", {}, [el("td", { class: "pick" }, [tick]),
          el("th", { scope: "row", class: "model" }, [name, el("span", { class: "setup" }, badges.map(function (b) { return el("span", { class: "badge" }, [b]); }))])]);
        ids.forEach(function (id) {
          var v, text, style = null;
          if (id === AVERAGE) {
            v = average(data, i, shown, view.gain);
            text = v === null ? "n/a" : view.gain ? signed(v, 1) : fixed(v, 1);
            if (view.gain) style = gainStyle(v, 20);
          } else {
            var ci = data.columnIndex[id], unit = data.columns[ci].unit;
            v = value(data, i, ci, view.gain);
            text = v === null ? "n/a" : view.gain ? signed(v, DECIMALS[unit]) : fixed(v, DECIMALS[unit]);
            if (view.gain) style = gainStyle(v, 20 / FACTOR[unit]);
          }
          tr.appendChild(el("td", { class: "num", style: style || null }, [text]));
        });
        body.appendChild(tr);
      });
      var what = view.gain ? "Gain over each run's base model, in each column's unit (blue above the base, orange below)" : "Scores in each column's unit";
      var table = el("table", { class: "catalog-table" }, [el("caption", {}, [what + "; n/a where there is no value (a base model has no gain). Average: percentages as they are, ratings \u00d710, fractions \u00d7100."]), el("thead", {}, [headRow]), body]);
      var pager = el("nav", { class: "pages", "aria-label": "Pages" });
      if (view.page > 1) pager.appendChild(el("a", { href: modelsHref + queryOf(view, view.page - 1), rel: "prev", "data-view": "" }, ["\u2190 previous"]));
      pager.appendChild(document.createTextNode(" Page " + view.page + " of " + pages + " "));
      if (view.page < pages) pager.appendChild(el("a", { href: modelsHref + queryOf(view, view.page + 1), rel: "next", "data-view": "" }, ["next \u2192"]));
      Array.prototype.slice.call(results.children).forEach(function (c) { if (c !== compareForm) results.removeChild(c); });
      results.appendChild(el("div", { class: "table-wrap catalog-wrap" }, [table]));
      results.appendChild(pager);
      updateCompare(compareForm, picked);
      root.setAttribute("data-ready", ""); // for scripts/measure_catalog.py: the view is drawn and its controls live
    }

    function go(search, push) {
      var params = new URLSearchParams(search);
      view = readView(data, params);
      // A written /models/page/<n>/ document opens on its page.
      var start = parseInt(root.getAttribute("data-page") || "1", 10);
      if (!push && !params.has("page") && start > 1) view.page = start;
      if (push) {
        try { history.pushState(null, "", (start > 1 ? modelsHref : modelsHref.split("/").pop()) + queryOf(view, view.page)); } catch (e) { /* file:// may refuse another path */ }
      }
      render();
    }

    form.addEventListener("change", function (e) {
      if (e.target.name === "q") return; // typed: applied as you type, below
      go(formQuery(data, form), true);
    });
    var typing = null;
    form.addEventListener("input", function (e) {
      if (e.target.name !== "q" && e.target.type !== "number") return;
      clearTimeout(typing);
      typing = setTimeout(function () {
        var q = form.querySelector('input[name="q"]'), focused = document.activeElement && document.activeElement.name, caret = q.selectionStart;
        go(formQuery(data, form), true);
        var again = focused && form.querySelector('[name="' + focused + '"]');
        if (again) { again.focus(); if (focused === "q") again.setSelectionRange(caret, caret); }
      }, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    results.addEventListener("change", function (e) {
      if (e.target.name !== "ids") return;
      var at = picked.indexOf(e.target.value);
      if (e.target.checked && at < 0) picked.push(e.target.value);
      if (!e.target.checked && at >= 0) picked.splice(at, 1);
      updateCompare(compareForm, picked);
    });
    compareForm.addEventListener("submit", function (e) {
      e.preventDefault();
      if (picked.length >= 2) location.href = compareForm.getAttribute("action") + "?ids=" + picked.map(encodeURIComponent).join(",");
    });
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

  // "Compare selected (n)": enabled for 2 to 8 ticked models.
  function updateCompare(compareForm, picked) {
    var button = compareForm.querySelector("button");
    button.textContent = "Compare selected (" + picked.length + ")";
    button.disabled = picked.length < 2 || picked.length > 8;
  }

  // The server's catalog, with a script: a change in the form applies at once (the server draws the
  // view), and ticked models are counted. Without a script the Apply button does the same.
  function serverCatalog(root) {
    var form = root.querySelector("form.facets"), compareForm = document.getElementById("compare-form");
    function ticked() { return Array.prototype.map.call(form.querySelectorAll('input[name="col"]:checked'), function (i) { return i.value; }).join(","); }
    var initialColumns = ticked(), params = new URLSearchParams(location.search), hadColumns = params.has("cols") || params.has("col");
    function apply() {
      var p = new URLSearchParams(), fd = new FormData(form);
      fd.forEach(function (v, name) {
        if (name === "col" || v === "" || (name === "view" && v === "scores") || (name === "order" && !fd.get("sort"))) return;
        p.append(name, v);
      });
      if (hadColumns || ticked() !== initialColumns) p.append("cols", ticked());
      var q = p.toString().replace(/%2C/g, ",");
      location.href = form.getAttribute("action") + (q ? "?" + q : "");
    }
    form.addEventListener("change", function (e) { if (e.target.name !== "q") apply(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    root.addEventListener("change", function (e) {
      if (e.target.name !== "ids") return;
      updateCompare(compareForm, Array.prototype.map.call(root.querySelectorAll('input[name="ids"]:checked'), function (i) { return i.value; }));
    });
    updateCompare(compareForm, []);
  }

  // ---- Compare ------------------------------------------------------------------------------------

  // The charts' categorical colours (Palette.categories in Canvas.swift), each at least 3:1 against white.
  var PALETTE = ["#1f77b4", "#d55e00", "#008c64", "#cc338b", "#788214", "#783cc8", "#8c564b", "#a07800"];

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
    // Each column on 0–100 (fractions ×100, ratings ×10), as the server's chart draws them.
    function point(r, c) { var v = score(r, data.columnIndex[c.id]); return v === null ? null : v * FACTOR[c.unit]; }
    main.forEach(function (c) { runs.forEach(function (r) { var v = point(r, c); if (v !== null) values.push(v); }); });
    // Ticks at a round step (1, 2 or 5 × 10^k), the axis ending on one.
    var high = Math.max(1, Math.max.apply(null, values.concat([0]))), low = Math.min(0, Math.min.apply(null, values.concat([0])));
    var raw = (high - low) / 4, magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * magnitude; }).filter(function (s) { return s >= raw; })[0];
    var top = Math.ceil(high / step) * step, bottom = Math.floor(low / step) * step;
    var W = 760, H = 370, left = 44, right = 10, upper = 30, lower = 130, plotW = W - left - right, plotH = H - upper - lower;
    function y(v) { return upper + plotH * (top - v) / (top - bottom); }
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + (H + 20 * Math.ceil(runs.length / 2)), width: W, role: "img", "aria-label": "Main benchmark scores of the compared models" });
    chart.appendChild(svg("text", { x: 8, y: 18, "font-weight": "bold", "font-size": 13 }, ["Main benchmarks"]));
    for (var t = bottom; t <= top + step / 2; t += step) {
      chart.appendChild(svg("line", { x1: left, x2: left + plotW, y1: y(t), y2: y(t), stroke: "#ddd" }));
      chart.appendChild(svg("text", { x: left - 4, y: y(t) + 4, "text-anchor": "end", "font-size": 11, fill: "#57606a" }, [fixed(t, step < 1 ? 1 : 0)]));
    }
    var groupW = plotW / main.length, barW = groupW * 0.8 / runs.length;
    main.forEach(function (c, g) {
      runs.forEach(function (r, s) {
        var v = point(r, c);
        if (v === null) return;
        var bar = svg("rect", { x: left + g * groupW + groupW * 0.1 + s * barW, y: Math.min(y(v), y(0)), width: Math.max(barW - 1, 1), height: Math.abs(y(0) - y(v)), fill: PALETTE[s % PALETTE.length] });
        bar.appendChild(svg("title", {}, [r[0] + " \u00b7 " + c.name + ": " + fixed(score(r, data.columnIndex[c.id]), DECIMALS[c.unit])]));
        chart.appendChild(bar);
      });
      var lx = left + (g + 0.5) * groupW, ly = upper + plotH + 12;
      chart.appendChild(svg("text", { x: lx, y: ly, "text-anchor": "end", "font-size": 11, transform: "rotate(-35 " + lx + " " + ly + ")" }, [c.name]));
    });
    runs.forEach(function (r, s) {
      var lx = 8 + (s % 2) * (W / 2), ly = H - 10 + 20 * Math.floor(s / 2);
      chart.appendChild(svg("rect", { x: lx, y: ly - 9, width: 10, height: 10, fill: PALETTE[s % PALETTE.length] }));
      chart.appendChild(svg("text", { x: lx + 14, y: ly, "font-size": 11 }, [r[0]]));
    });
    return el("figure", {}, [chart, el("figcaption", {}, ["Main benchmark scores of the compared models, one bar per model, in points on 0\u2013100 (percentages as they are, 1\u201310 ratings \u00d710, 0\u20131 fractions \u00d7100)."])]);
  }

  // The chooser completes the id being typed (the text after the last comma): every word typed must occur
  // in the id, as the catalog's search reads words.
  function compareChooser(data) {
    var input = document.getElementById("compare-ids"), list = document.getElementById("compare-suggestions");
    if (!input || !list) return;
    function suggest() {
      var value = input.value, cut = value.lastIndexOf(",") + 1, head = value.slice(0, cut), words = value.slice(cut).toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) return;
      var shown = 0;
      for (var i = 0; i < data.runs.length && shown < 30; i++) {
        var id = data.runs[i][0];
        if (words.every(function (w) { return data.haystacks[i].indexOf(w) >= 0; })) { list.appendChild(el("option", { value: head + id })); shown++; }
      }
    }
    input.addEventListener("input", suggest);
    suggest();
  }

  function compareApp(root, data) {
    compareChooser(data);
    if (!root.hasAttribute("data-written")) return; // the server draws the comparison itself
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
          var digits = DECIMALS[c.unit];
          if (i === 0) { tr.appendChild(el("td", { class: "num" }, [v === null ? "n/a" : fixed(v, digits)])); return; }
          var d = v === null || first === null ? null : v - first;
          tr.appendChild(el("td", { class: "num", style: gainStyle(d, 20 / FACTOR[c.unit]) || null }, [d === null ? "n/a" : signed(d, digits)]));
        });
        body.appendChild(tr);
      });
      results.appendChild(el("div", { class: "table-wrap" }, [el("table", {}, [
        el("caption", {}, ["Scores; the first model's score, then each other model's difference from it (blue higher, orange lower)."]), el("thead", {}, [head]), body])]));
      results.appendChild(compareChart(data, runs));
      document.title = heading.textContent + " \u00b7 SFT Atlas";
    }
    window.addEventListener("popstate", render);
    render();
  }

  // ---- Explore: the scatter of a written site, drawn from catalog.json as Site+Explore.swift draws it ----

  var MARKERS = ["circle", "square", "triangleUp", "diamond", "triangleDown", "plus", "cross", "bar"];
  var COLOURS = ["#1f77b4", "#d55e00", "#008c64", "#cc338b", "#788214", "#783cc8", "#8c564b", "#a07800", "#606060", "#b2182b", "#213c82", "#008080"];

  function markerShape(kind, x, y, r, colour) {
    var d = r * 1.1;
    switch (kind) {
      case "square": return svg("rect", { x: x - r * 0.85, y: y - r * 0.85, width: r * 1.7, height: r * 1.7, fill: colour });
      case "bar": return svg("rect", { x: x - d, y: y - r * 0.45, width: 2 * d, height: r * 0.9, fill: colour });
      case "triangleUp": return svg("path", { d: "M" + x + " " + (y - d) + "L" + (x + d) + " " + (y + d) + "L" + (x - d) + " " + (y + d) + "Z", fill: colour });
      case "triangleDown": return svg("path", { d: "M" + x + " " + (y + d) + "L" + (x + d) + " " + (y - d) + "L" + (x - d) + " " + (y - d) + "Z", fill: colour });
      case "diamond": return svg("path", { d: "M" + x + " " + (y - d) + "L" + (x + d) + " " + y + "L" + x + " " + (y + d) + "L" + (x - d) + " " + y + "Z", fill: colour });
      case "plus": return svg("path", { d: "M" + (x - d) + " " + y + "H" + (x + d) + "M" + x + " " + (y - d) + "V" + (y + d), stroke: colour, "stroke-width": 1.6 });
      case "cross": return svg("path", { d: "M" + (x - r) + " " + (y - r) + "L" + (x + r) + " " + (y + r) + "M" + (x - r) + " " + (y + r) + "L" + (x + r) + " " + (y - r), stroke: colour, "stroke-width": 1.6 });
      default: return svg("circle", { cx: x, cy: y, r: r, fill: colour });
    }
  }

  // Ticks at a round step (1, 2 or 5 × 10^k) over the data's range [lo, hi], as the server's axis draws
  // them; each label rounded to the step's decimals (0.6, not 0.6000000000000001).
  function ticks(lo, hi) {
    if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
    var raw = (hi - lo) / 5, magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * magnitude; }).filter(function (st) { return st >= raw; })[0];
    var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)), out = [];
    for (var k = Math.floor(lo / step); k <= Math.ceil(hi / step); k++) out.push(Number((k * step).toFixed(digits)));
    return out;
  }

  function exploreApp(root, data) {
    var params = new URLSearchParams(location.search), base = root.getAttribute("data-root");
    var view = readView(data, params);
    var main = data.columns.filter(function (c) { return c.main; }).map(function (c) { return c.id; });
    var x = params.get("x") || main[0], y = params.get("y") || main[1] || AVERAGE, colour = params.get("color") || "base";
    if (DIMENSIONS.indexOf(colour) < 0) colour = "base";
    var columns = shownColumns(data, view), shown = columns.map(function (id) { return data.columnIndex[id]; });
    function axisValue(i, axis) { return axis === AVERAGE ? average(data, i, shown, view.gain) : axis in data.columnIndex ? value(data, i, data.columnIndex[axis], view.gain) : null; }
    function axisName(axis) { return (axis === AVERAGE ? "Average (0\u2013100)" : data.columns[data.columnIndex[axis]].name) + (view.gain ? ", gain" : ""); }
    var masks = mismatches(data, view, shown), matching = 0, points = [];
    masks.forEach(function (m, i) {
      if (m !== 0) return;
      matching++;
      var px = axisValue(i, x), py = axisValue(i, y);
      if (px !== null && py !== null) points.push({ i: i, x: px, y: py, code: facetValue(data, data.runs[i], colour) });
    });
    var present = {};
    points.forEach(function (p) { present[p.code] = true; });
    var facet = data.facets[DIMENSIONS.indexOf(colour)], categories = facet.values.filter(function (v) { return present[v[0]]; });
    var slot = {};
    categories.forEach(function (v, k) { slot[v[0]] = k; });

    document.getElementById("explore-summary").firstChild.textContent = points.length + " of " + matching + " matching models plotted (" + data.runs.length + " in all); a model without a value on either axis is left out. ";
    var xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
    var xt = ticks(Math.min.apply(null, xs.length ? xs : [0]), Math.max.apply(null, xs.length ? xs : [1]));
    var yt = ticks(Math.min.apply(null, ys.length ? ys : [0]), Math.max.apply(null, ys.length ? ys : [1]));
    var left = 64, top = 40, W = 520, H = 340, legendW = 230;
    var height = Math.max(top + H + 52, top + 6 + categories.length * 15 + 8);
    function sx(v) { return left + W * (v - xt[0]) / (xt[xt.length - 1] - xt[0]); }
    function sy(v) { return top + H * (yt[yt.length - 1] - v) / (yt[yt.length - 1] - yt[0]); }
    var chart = svg("svg", { viewBox: "0 0 " + (left + W + 16 + legendW) + " " + height, width: left + W + 16 + legendW, class: "scatter", role: "img", "aria-label": axisName(y) + " against " + axisName(x) + ", " + points.length + " models" });
    chart.appendChild(svg("text", { x: 12, y: 24, "font-weight": "bold", "font-size": 15 }, [axisName(y) + " against " + axisName(x)]));
    yt.forEach(function (t) {
      chart.appendChild(svg("line", { x1: left, x2: left + W, y1: sy(t), y2: sy(t), stroke: "#e1e4e8" }));
      chart.appendChild(svg("text", { x: left - 6, y: sy(t) + 4, "text-anchor": "end", "font-size": 11, fill: "#57606a" }, [String(t)]));
    });
    xt.forEach(function (t) { chart.appendChild(svg("text", { x: sx(t), y: top + H + 16, "text-anchor": "middle", "font-size": 11, fill: "#57606a" }, [String(t)])); });
    chart.appendChild(svg("rect", { x: left, y: top, width: W, height: H, fill: "none", stroke: "#8c959f" }));
    chart.appendChild(svg("text", { x: left + W / 2, y: top + H + 38, "text-anchor": "middle", "font-size": 12 }, [axisName(x)]));
    chart.appendChild(svg("text", { x: 16, y: top + H / 2, "text-anchor": "middle", "font-size": 12, transform: "rotate(-90 16 " + (top + H / 2) + ")" }, [axisName(y)]));
    var layer = svg("g", { class: "points" });
    points.forEach(function (p) {
      var k = slot[p.code], id = data.runs[p.i][0];
      var a = svg("a", { href: base + "models/" + segment(id) + "/index.html", class: "point", tabindex: "-1" });
      a.appendChild(markerShape(MARKERS[k % MARKERS.length], sx(p.x), sy(p.y), 3.4, COLOURS[k % COLOURS.length]));
      a.appendChild(svg("title", {}, [id + ": " + tidy(p.x) + ", " + tidy(p.y)]));
      layer.appendChild(a);
    });
    chart.appendChild(layer);
    categories.forEach(function (v, k) {
      var ly = top + 6 + k * 15, lx = left + W + 18;
      chart.appendChild(svg("line", { x1: lx - 2, x2: lx + 14, y1: ly, y2: ly, stroke: COLOURS[k % COLOURS.length], "stroke-width": 1.4 }));
      chart.appendChild(markerShape(MARKERS[k % MARKERS.length], lx + 6, ly, 3.4, COLOURS[k % COLOURS.length]));
      chart.appendChild(svg("text", { x: lx + 20, y: ly + 4, "font-size": 11 }, [v[1]]));
    });
    // The written page's form shows this view's choices (the server writes them into its form).
    var form = document.getElementById("explore-form");
    if (form) {
      form.elements.x.value = x; form.elements.y.value = y; form.elements.color.value = colour;
      form.elements.q.value = view.words.join(" "); form.elements.view.checked = view.gain;
      view.ignored.length = 0;
      params.forEach(function (v, name) {
        if (["x", "y", "color", "q", "view"].indexOf(name) < 0 && v !== "") form.appendChild(el("input", { type: "hidden", name: name, value: v }));
      });
    }
    var figure = root.querySelector("figure");
    figure.textContent = "";
    figure.appendChild(chart);
    figure.appendChild(el("figcaption", {}, ["Each point is a model: hover to name it, click to open it. Colour and shape: " + facet.label.toLowerCase() + "."]));
  }

  // The explorer's form plots at once when a choice changes.
  function exploreForm() {
    var form = document.getElementById("explore-form");
    if (!form) return;
    form.addEventListener("change", function (e) { if (e.target.name !== "q") form.requestSubmit ? form.requestSubmit() : form.submit(); });
  }

  // ---- Start --------------------------------------------------------------------------------------

  function start(id, app) {
    var root = document.getElementById(id);
    if (!root) return;
    loadCatalog(root).then(function (data) { app(root, prepare(data)); }).catch(function (error) {
      var note = el("p", { class: "notice", role: "alert" }, ["The interactive view could not load its data (" + error.message + "); the table below still works."]);
      root.parentNode.insertBefore(note, root);
    });
  }
  // The filters are open beside the results on a wide screen, behind their button on a narrow one.
  var filters = document.getElementById("catalog-filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 801px)").matches) filters.open = true;
  var catalogRoot = document.getElementById("catalog");
  if (catalogRoot && catalogRoot.hasAttribute("data-catalog")) start("catalog", catalogApp);
  else if (catalogRoot) serverCatalog(catalogRoot);
  start("compare-app", compareApp);
  var exploreRoot = document.getElementById("explore");
  if (exploreRoot && exploreRoot.hasAttribute("data-catalog")) start("explore", exploreApp);
  exploreForm();
})();
