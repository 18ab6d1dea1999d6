import Mustache

/// The context of `Templates/table.mustache`: a caption, header cells and rows of cells.
struct HTMLTable {
    struct Header {
        var label: String
        var href: String? = nil
        var numeric = false
        /// A column a phone's screen leaves out (class `wide`), so that the ones after it stay in view.
        var wideOnly = false
    }

    struct Cell {
        var text: String
        var href: String? = nil
        var numeric = false
        /// Inline CSS (a background colour for gains); built here, never from user text.
        var style: String? = nil
        var note: String? = nil
        /// Where the note links (a flag's finding), if anywhere.
        var noteHref: String? = nil
        /// Several linked names, comma-separated, in place of `text` when not empty.
        var links: [(text: String, href: String?)] = []
    }

    struct Row {
        var cells: [Cell]
        /// The row's id, for links to it (a finding on `/quality/<kind>/`).
        var id: String? = nil
    }

    var id: String? = nil
    var caption: String? = nil
    var headers: [Header]
    var rows: [Row]
    /// For the page template's list of tables.
    var title: String? = nil
}

/// Background colours for gains: the charts' diverging orange–white–blue scale, as CSS.
enum GainColour {
    static func style(_ gain: Double?, limit: Double) -> String? {
        guard let gain, gain.isFinite, limit > 0 else { return nil }
        let t = max(-1, min(1, gain / limit))
        // Mix white with blue (positive) or orange (negative), the charts' diverging ends, at most 45% so
        // text stays readable; red never marks a gain.
        let (r, g, b): (Double, Double, Double) = t >= 0 ? (33, 102, 172) : (224, 130, 20)
        let a = abs(t) * 0.45
        func mix(_ c: Double) -> Int { Int((255 * (1 - a) + c * a).rounded()) }
        return "background:rgb(\(mix(r)),\(mix(g)),\(mix(b)))"
    }
}

// Tables are the bulk of most pages: a model page has about 350 cells and the written catalog about
// 20,000. Rendered through swift-mustache, each tag costs a name split and several dynamic casts, which
// made table rendering 40% of a static build; the markup is written here instead, in one pass.
extension HTMLTable {
    /// The table's HTML, escaped as Mustache escapes (`& < > " '`).
    var html: String {
        var out = ""
        out.reserveCapacity(64 + rows.count * 40 * max(headers.count, 1))
        out += "<div class=\"table-wrap\"><table"
        if let id { out += " id=\""; Self.escape(id, into: &out); out += "\"" }
        out += ">\n"
        if let caption { out += "<caption>"; Self.escape(caption, into: &out); out += "</caption>" }
        out += "\n<thead><tr>"
        for h in headers {
            out += "<th scope=\"col\""
            if h.numeric || h.wideOnly { out += " class=\"" + [h.numeric ? "num" : nil, h.wideOnly ? "wide" : nil].compactMap { $0 }.joined(separator: " ") + "\"" }
            out += ">"
            Self.link(h.label, href: h.href, into: &out)
            out += "</th>"
        }
        let wide = Set(headers.indices.filter { headers[$0].wideOnly })
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            if let id = row.id { out += "<tr id=\""; Self.escape(id, into: &out); out += "\">" } else { out += "<tr>" }
            for (i, c) in row.cells.enumerated() {
                out += wide.contains(i) ? (c.numeric ? "<td class=\"num wide\"" : "<td class=\"wide\"") : (c.numeric ? "<td class=\"num\"" : "<td")
                if let style = c.style { out += " style=\""; Self.escape(style, into: &out); out += "\"" }
                out += ">"
                if c.links.isEmpty {
                    Self.link(c.text, href: c.href, into: &out)
                } else {
                    for (k, l) in c.links.enumerated() {
                        if k > 0 { out += ", " }
                        Self.link(l.text, href: l.href, into: &out)
                    }
                }
                if let note = c.note { out += " <small>"; Self.link(note, href: c.noteHref, into: &out); out += "</small>" }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>"
        return out
    }

    static func link(_ text: String, href: String?, into out: inout String) {
        guard let href else { escape(text, into: &out); return }
        out += "<a href=\""
        escape(href, into: &out)
        out += "\">"
        escape(text, into: &out)
        out += "</a>"
    }

    static func escape(_ text: String, into out: inout String) {
        // Most text needs no escaping: append it whole.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { out += text; return }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

/// A table in a page context: its pre-rendered markup plus the title the page template shows above it.
struct RenderedTable: MustacheParent {
    var html: String
    var title: String?
    func child(named name: String) -> Any? {
        switch name {
        case "html": return html
        case "title": return title ?? false
        default: return nil
        }
    }
}

extension HTMLTable {
    var rendered: RenderedTable { RenderedTable(html: html, title: title) }
}
