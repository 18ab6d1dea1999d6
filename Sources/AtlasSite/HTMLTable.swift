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
