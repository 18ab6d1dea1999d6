import Mustache

/// The context of `Templates/table.mustache`: a caption, header cells and rows of cells.
struct HTMLTable {
    struct Header {
        var label: String
        var href: String? = nil
        var numeric = false
    }

    struct Cell {
        var text: String
        var href: String? = nil
        var numeric = false
        /// Inline CSS (a background colour for gains); built here, never from user text.
        var style: String? = nil
        var note: String? = nil
    }

    struct Row { var cells: [Cell] }

    var id: String? = nil
    var caption: String? = nil
    var headers: [Header]
    var rows: [Row]
    /// For the page template's list of tables.
    var title: String? = nil
}

/// Background colours for gains: the charts' diverging blue–white–red scale, as CSS.
enum GainColour {
    static func style(_ gain: Double?, limit: Double) -> String? {
        guard let gain, gain.isFinite, limit > 0 else { return nil }
        let t = max(-1, min(1, gain / limit))
        // Mix white with red (positive) or blue (negative), at most 45% so text stays readable.
        let (r, g, b): (Double, Double, Double) = t >= 0 ? (214, 96, 77) : (67, 147, 195)
        let a = abs(t) * 0.45
        func mix(_ c: Double) -> Int { Int((255 * (1 - a) + c * a).rounded()) }
        return "background:rgb(\(mix(r)),\(mix(g)),\(mix(b)))"
    }
}

// Tables are the bulk of most pages (a catalog page has about a thousand cells). swift-mustache looks up
// a struct's fields through `Mirror`, rebuilt for every tag; answering by name directly made uncached
// catalog pages several times faster (see the commit that added this).
extension HTMLTable: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "caption": return caption
        case "headers": return headers
        case "rows": return rows
        case "title": return title
        default: return nil
        }
    }
}

extension HTMLTable.Header: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "href": return href
        case "numeric": return numeric
        default: return nil
        }
    }
}

extension HTMLTable.Row: MustacheParent {
    func child(named name: String) -> Any? { name == "cells" ? cells : nil }
}

extension HTMLTable.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": return text
        case "href": return href
        case "numeric": return numeric
        case "style": return style
        case "note": return note
        default: return nil
        }
    }
}
