/// A heatmap on a diverging colour map centred at 0, with row and column labels, optional cell labels,
/// a colour bar, and optionally a dendrogram over the columns (for a clustered correlation matrix).
public struct HeatmapSpec: ChartSpec {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// rows × columns; `nil` cells are drawn grey and labelled "n/a".
    public var values: [[Double?]]
    /// The colour scale runs from −limit to +limit; default: the largest |value|.
    public var limit: Double?
    public var cellLabels: Bool = true
    public var digits: Int = 2
    /// Caption of the colour bar (the unit).
    public var scaleCaption: String
    /// A dendrogram drawn above the columns, whose leaves are the columns as given (already in leaf order).
    public var dendrogram: Dendrogram?

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double?]], limit: Double? = nil,
                cellLabels: Bool = true, digits: Int = 2, scaleCaption: String,
                dendrogram: Dendrogram? = nil) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.limit = limit
        self.cellLabels = cellLabels
        self.digits = digits
        self.scaleCaption = scaleCaption
        self.dendrogram = dendrogram
    }
}

extension HeatmapSpec {
    public func render(_ style: ChartStyle) -> Chart {
        let labelSize = 9.0, titleSize = 12.0
        let font = style.font
        let rowWidth = rowLabels.map { Canvas.measure($0, size: labelSize, font: font) }.max() ?? 0
        let columnHeight = columnLabels.map { Canvas.measure($0, size: labelSize, font: font) }.max() ?? 0
        let cell = cellLabels ? max(40.0, Double(digits + 3) * 10.0) : 22.0
        let dendrogramHeight = dendrogram == nil ? 0.0 : 60.0
        let left = 12 + rowWidth + 8
        let top = 12 + titleSize + 14 + dendrogramHeight
        let gridW = cell * Double(columnLabels.count), gridH = cell * Double(rowLabels.count)
        let barX = left + gridW + 18
        let captionWidth = Canvas.measure(scaleCaption, size: labelSize, font: font)
        let width = Int((barX + 14 + 8 + max(50, captionWidth * 0.6) + 12).rounded(.up))
        let height = Int((top + gridH + 8 + max(columnHeight, captionWidth) + 12).rounded(.up))
        let titleWidth = Canvas.measure(title, size: titleSize, font: font) + 24
        let canvas = Canvas(width: max(width, Int(titleWidth)), height: height, scale: style.scale, font: font)
        canvas.text(title, x: 12, y: 12 + titleSize, size: titleSize, bold: true)

        let present = values.flatMap { $0 }.compactMap { $0 }.filter(\.isFinite)
        let limit = self.limit ?? max(present.map { abs($0) }.max() ?? 1, 1e-12)
        for (r, row) in values.enumerated() {
            let y = top + Double(r) * cell
            canvas.text(rowLabels[r], x: left - 8, y: y + cell / 2 + labelSize / 2 - 1, size: labelSize, anchor: .end)
            for (c, value) in row.enumerated() {
                let x = left + Double(c) * cell
                guard let v = value, v.isFinite else {
                    canvas.fill(x: x, y: y, w: cell, h: cell, color: .missing)
                    if cellLabels { canvas.text("n/a", x: x + cell / 2, y: y + cell / 2 + 3, size: 9, color: .muted, anchor: .middle) }
                    continue
                }
                let color = Palette.diverging(v / limit)
                canvas.fill(x: x, y: y, w: cell, h: cell, color: color)
                if cellLabels {
                    let ink: RGB = color.luminance < 0.5 ? .white : .ink
                    canvas.text(label(v, digits: digits), x: x + cell / 2, y: y + cell / 2 + 3, size: 9, color: ink, anchor: .middle)
                }
            }
        }
        canvas.rect(x: left, y: top, w: gridW, h: gridH, color: .muted)
        for (c, name) in columnLabels.enumerated() {
            let x = left + Double(c) * cell + cell / 2 + labelSize / 2 - 1
            canvas.text(name, x: x, y: top + gridH + 6, size: labelSize, anchor: .end, angle: 90)
        }
        if let dendrogram { drawDendrogram(dendrogram, canvas: canvas, left: left, cell: cell, bottom: top - 4, height: dendrogramHeight - 8) }

        // Colour bar: −limit at the bottom, +limit at the top.
        let steps = 60
        for i in 0..<steps {
            let t = 1 - 2 * (Double(i) + 0.5) / Double(steps)
            canvas.fill(x: barX, y: top + gridH * Double(i) / Double(steps), w: 14, h: gridH / Double(steps) + 1, color: Palette.diverging(t))
        }
        canvas.rect(x: barX, y: top, w: 14, h: gridH, color: .muted)
        for (t, y) in [(limit, top), (0, top + gridH / 2), (-limit, top + gridH)] {
            canvas.line(barX + 14, y, barX + 18, y, color: .muted)
            canvas.text(label(t, digits: digits), x: barX + 21, y: y + 3, size: 9, color: .muted)
        }
        canvas.text(scaleCaption, x: barX + 7, y: top + gridH + 6, size: 9, color: .muted, anchor: .end, angle: 90)

        let missing = values.flatMap { $0 }.filter { $0 == nil }.count
        let alt = "Heatmap: \(title). \(rowLabels.count) rows (\(rowLabels.joined(separator: ", "))) by \(columnLabels.count) columns "
            + "(\(columnLabels.joined(separator: ", "))); colour from blue (−\(label(limit, digits: digits))) through white (0) to red "
            + "(+\(label(limit, digits: digits))), \(scaleCaption)"
            + (missing > 0 ? "; \(missing) cells missing (grey)." : ".")
        return Chart(png: canvas.png(), alt: alt, csv: csv)
    }

    /// The numbers behind the chart.
    public var csv: String {
        CSVText.table(header: [""] + columnLabels,
                                rows: values.enumerated().map { r, row in [rowLabels[r]] + row.map(CSVText.number) })
    }

    private func drawDendrogram(_ d: Dendrogram, canvas: Canvas, left: Double, cell: Double, bottom: Double, height: Double) {
        let n = d.order.count
        let maxHeight = max(d.merges.map(\.height).max() ?? 1, 1e-12)
        var x: [Int: Double] = [:], y: [Int: Double] = [:]
        for (position, leaf) in d.order.enumerated() { x[leaf] = left + (Double(position) + 0.5) * cell; y[leaf] = bottom }
        for (k, m) in d.merges.enumerated() {
            guard let xl = x[m.left], let xr = x[m.right], let yl = y[m.left], let yr = y[m.right] else { continue }
            let ym = bottom - m.height / maxHeight * height
            canvas.line(xl, yl, xl, ym, color: .ink)
            canvas.line(xr, yr, xr, ym, color: .ink)
            canvas.line(xl, ym, xr, ym, color: .ink)
            x[n + k] = (xl + xr) / 2
            y[n + k] = ym
        }
    }
}

/// Merges in SciPy's form (ids below n are leaves, n + k the k-th merge) and the leaves' left-to-right order.
public struct Dendrogram: Sendable {
    public var merges: [(left: Int, right: Int, height: Double)]
    public var order: [Int]

    public init(merges: [(left: Int, right: Int, height: Double)], order: [Int]) {
        self.merges = merges
        self.order = order
    }
}
