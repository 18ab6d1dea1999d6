/// The catalog form's controls as HTML: a fieldset of checkboxes per facet (with counts), the sort options
/// and the column choices. Text is escaped as Mustache escapes it, so the page is the same as when these
/// were template sections.
struct CatalogForm {
    /// Per facet: its legend, and per value: the parameter name, value, label, count and whether it is ticked.
    var facets: [(label: String, values: [(name: String, value: String, text: String, count: Int, selected: Bool)])]
    /// Per option: value, label, whether selected.
    var sortOptions: [(value: String, label: String, selected: Bool)]
    /// Per column: id, label, whether shown.
    var columns: [(id: String, label: String, selected: Bool)]

    var facetsHTML: String {
        var out = ""
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
        return out
    }

    var sortOptionsHTML: String {
        var out = ""
        for o in sortOptions {
            out += "<option value=\""
            HTMLTable.escape(o.value, into: &out)
            out += o.selected ? "\" selected>" : "\">"
            HTMLTable.escape(o.label, into: &out)
            out += "</option>"
        }
        return out
    }

    var columnChoicesHTML: String {
        var out = ""
        for c in columns {
            Self.checkbox(name: "col", value: c.id, checked: c.selected, text: c.label, into: &out)
            out += "</label>\n"
        }
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
