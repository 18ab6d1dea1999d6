/// The catalog form's controls as HTML: search, scores or gains, a fieldset of checkboxes per facet (with
/// counts), min and max boxes for the shown columns, sort, and the column choices. Every control has a
/// label. Text is escaped as Mustache escapes it.
struct CatalogForm {
    var search: String
    var gain: Bool
    /// `findings=yes|no`, and the kinds of `finding=` chosen; the kinds to offer.
    var flagged: Bool? = nil
    var findingKinds: [String] = []
    /// Whether the database holds an audit; the audit facet's counts (with every filter but its own).
    var audited = false
    var auditCounts = CatalogIndex.AuditCounts()
    var kinds: [(value: String, label: String)] = []
    /// Per facet: its legend, and per value: the parameter name, value, label, count and whether it is ticked.
    var facets: [(label: String, values: [(name: String, value: String, text: String, count: Int, selected: Bool)])]
    /// Per range row: the parameter stem (`mmlu-0shot`, `average`), its label, and the min and max given.
    var ranges: [(stem: String, label: String, min: String, max: String)]
    /// Other numeric filters of the view (`__gt`, `__lt`, `__isnull`, or on columns not shown), kept as they are.
    var hidden: [(name: String, value: String)]
    /// Per option: value, label, whether selected.
    var sortOptions: [(value: String, label: String, selected: Bool)]
    var descending: Bool
    /// Per column: id, label, whether shown.
    var columns: [(id: String, label: String, selected: Bool)]

    var html: String {
        var out = "<p class=\"search\"><label for=\"catalog-q\">Search</label> <input type=\"search\" id=\"catalog-q\" name=\"q\" value=\""
        HTMLTable.escape(search, into: &out)
        out += "\" placeholder=\"qwen lora ep3\" maxlength=\"200\"></p>\n"
        out += "<fieldset class=\"show\"><legend>Show</legend>"
        out += "<label><input type=\"radio\" name=\"view\" value=\"scores\"\(gain ? "" : " checked")> Scores</label>"
        out += "<label><input type=\"radio\" name=\"view\" value=\"gain\"\(gain ? " checked" : "")> Gain over the base model</label></fieldset>\n"
        if audited {
            // A facet like the others: each choice with the count it would give, zero counts left out.
            let a = auditCounts
            out += "<fieldset class=\"findings\"><legend>Audit findings</legend>"
            for (value, label, count) in [("", "any", a.flagged + a.clean), ("yes", "flagged", a.flagged), ("no", "not flagged", a.clean)] {
                let on = value.isEmpty ? flagged == nil : flagged == (value == "yes")
                out += "<label><input type=\"radio\" name=\"findings\" value=\"\(value)\"\(on ? " checked" : "")> \(label) <span class=\"count\">\(count)</span></label>"
            }
            out += "\n"
            for k in kinds {
                let n = a.kinds[k.value] ?? 0, on = findingKinds.contains(k.value)
                guard n > 0 || on else { continue }
                Self.checkbox(name: "finding", value: k.value, checked: on, text: k.label, into: &out)
                out += " <span class=\"count\">\(n)</span></label>\n"
            }
            out += "</fieldset>\n"
        }
        for f in facets {
            out += "<fieldset><legend>"
            HTMLTable.escape(f.label, into: &out)
            out += "</legend>\n"
            for v in f.values {
                Self.checkbox(name: v.name, value: v.value, checked: v.selected, text: v.text, into: &out)
                out += " <span class=\"count\">\(v.count)</span></label>\n"
            }
            out += "</fieldset>\n"
        }
        out += "<fieldset class=\"ranges\"><legend>Range</legend>\n"
        for r in ranges {
            out += "<div class=\"range\"><span class=\"range-label\">"
            HTMLTable.escape(r.label, into: &out)
            out += "</span>"
            for (op, value, word) in [("gte", r.min, "at least"), ("lte", r.max, "at most")] {
                out += " <input type=\"number\" step=\"any\" name=\""
                HTMLTable.escape(r.stem + "__" + op, into: &out)
                out += "\" value=\""
                HTMLTable.escape(value, into: &out)
                out += "\" placeholder=\"\(op == "gte" ? "min" : "max")\" aria-label=\""
                HTMLTable.escape(r.label + " " + word, into: &out)
                out += "\">"
            }
            out += "</div>\n"
        }
        for h in hidden {
            out += "<input type=\"hidden\" name=\""
            HTMLTable.escape(h.name, into: &out)
            out += "\" value=\""
            HTMLTable.escape(h.value, into: &out)
            out += "\">\n"
        }
        out += "</fieldset>\n<fieldset class=\"sort\"><legend>Sort</legend><label>By <select name=\"sort\">"
        for o in sortOptions {
            out += "<option value=\""
            HTMLTable.escape(o.value, into: &out)
            out += o.selected ? "\" selected>" : "\">"
            HTMLTable.escape(o.label, into: &out)
            out += "</option>"
        }
        out += "</select></label> <label>Order <select name=\"order\"><option value=\"asc\"\(descending ? "" : " selected")>ascending</option>"
        out += "<option value=\"desc\"\(descending ? " selected" : "")>descending</option></select></label></fieldset>\n"
        out += "<fieldset class=\"columns\"><legend>Columns</legend>\n"
        for c in columns {
            Self.checkbox(name: "col", value: c.id, checked: c.selected, text: c.label, into: &out)
            out += "</label>\n"
        }
        out += "</fieldset>\n"
        return out
    }

    /// `<label><input type="checkbox" name="…" value="…"[ checked]> text`, the label left open.
    private static func checkbox(name: String, value: String, checked: Bool, text: String, into out: inout String) {
        out += "<label><input type=\"checkbox\" name=\""
        HTMLTable.escape(name, into: &out)
        out += "\" value=\""
        HTMLTable.escape(value, into: &out)
        out += checked ? "\" checked> " : "\"> "
        HTMLTable.escape(text, into: &out)
    }
}
