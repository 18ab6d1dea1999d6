/// The catalog's table as HTML: a tick box per row for comparing, the model's id (a sticky row header)
/// with its training setup as badges below it, then the average and the score (or gain) columns, whose
/// headers sort. Written in one pass, as `HTMLTable` is; `atlas.js` builds the same markup.
struct CatalogTable {
    struct Column {
        var label: String
        /// The link that sorts by this column (descending first, then ascending).
        var href: String
        /// "ascending" or "descending" when the view is sorted by it.
        var sorted: String?
        /// A tooltip: the column's unit or how the average is made.
        var title: String?
    }

    struct Row {
        var id: String
        var href: String
        /// Badge texts: method, samples, schedule, epochs; or "base model".
        var badges: [String]
        /// Per column: the text shown and an optional inline style (a gain's colour).
        var cells: [(text: String, style: String?)]
    }

    var caption: String
    var columns: [Column]
    var rows: [Row]
    /// The `id` of the compare form the tick boxes belong to.
    var compareForm: String

    var html: String {
        var out = ""
        out.reserveCapacity(1024 + rows.count * (300 + 40 * columns.count))
        out += "<div class=\"table-wrap catalog-wrap\"><table class=\"catalog-table\">\n<caption>"
        HTMLTable.escape(caption, into: &out)
        out += "</caption>\n<thead><tr><th scope=\"col\" class=\"pick\"><span class=\"visually-hidden\">Compare</span></th><th scope=\"col\" class=\"model\">Model</th>"
        for c in columns {
            out += "<th scope=\"col\" class=\"num\""
            if let sorted = c.sorted { out += " aria-sort=\"\(sorted)\"" }
            if let title = c.title { out += " title=\""; HTMLTable.escape(title, into: &out); out += "\"" }
            out += "><a href=\""
            HTMLTable.escape(c.href, into: &out)
            out += "\">"
            HTMLTable.escape(c.label, into: &out)
            if let sorted = c.sorted { out += sorted == "descending" ? " ↓" : " ↑" }
            out += "</a></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for r in rows {
            out += "<tr><td class=\"pick\"><input type=\"checkbox\" name=\"ids\" form=\""
            HTMLTable.escape(compareForm, into: &out)
            out += "\" value=\""
            HTMLTable.escape(r.id, into: &out)
            out += "\" aria-label=\"Compare "
            HTMLTable.escape(r.id, into: &out)
            out += "\"></td><th scope=\"row\" class=\"model\"><a href=\""
            HTMLTable.escape(r.href, into: &out)
            out += "\">"
            Self.breakable(r.id, into: &out)
            out += "</a><span class=\"setup\">"
            for b in r.badges {
                out += "<span class=\"badge\">"
                HTMLTable.escape(b, into: &out)
                out += "</span>"
            }
            out += "</span></th>"
            for c in r.cells {
                out += "<td class=\"num\""
                if let style = c.style { out += " style=\""; HTMLTable.escape(style, into: &out); out += "\"" }
                out += ">"
                HTMLTable.escape(c.text, into: &out)
                out += "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>"
        return out
    }

    /// An id with a line-break opportunity after each dot, so a long id wraps at its parts.
    static func breakable(_ id: String, into out: inout String) {
        for part in id.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            if part.offset > 0 { out += ".<wbr>" }
            HTMLTable.escape(String(part.element), into: &out)
        }
    }
}
