/// Points coloured by category, with a legend, and optionally a least-squares line with Pearson's r.
public struct ScatterSpec: ChartSpec {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var y: [Double]
    /// Index into `categories` per point.
    public var category: [Int]
    public var categories: [String]
    /// A least-squares line y = intercept + slope · x and its Pearson r, computed by the caller.
    public var fit: (slope: Double, intercept: Double, r: Double)?
    /// A category drawn apart from the palette, larger and black, over the rest (a user's runs on the map).
    public var highlighted: Int?

    public init(title: String, xLabel: String, yLabel: String, x: [Double], y: [Double], category: [Int],
                categories: [String], fit: (slope: Double, intercept: Double, r: Double)? = nil, highlighted: Int? = nil) {
        self.highlighted = highlighted
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.category = category
        self.categories = categories
        self.fit = fit
    }

    private func frame(_ style: ChartStyle) -> (PlotFrame, [Int]) {
        let keep = x.indices.filter { x[$0].isFinite && y[$0].isFinite }
        var plot = PlotFrame(title: title, xLabel: xLabel, yLabel: yLabel, legend: categories, style: style,
                             xValues: keep.map { x[$0] }, yValues: keep.map { y[$0] })
        plot.legendMarkers = true
        return (plot, keep)
    }

    /// Where each point is drawn, in the 1× image's pixels (nil for a point with a non-finite value): for
    /// an image map that names and links each point.
    public func positions(_ style: ChartStyle) -> [(x: Double, y: Double)?] {
        let (plot, _) = frame(style)
        return x.indices.map { i in x[i].isFinite && y[i].isFinite ? (plot.px(x[i]), plot.py(y[i])) : nil }
    }

    public func render(_ style: ChartStyle) -> Chart {
        let (plot, keep) = frame(style)
        let canvas = plot.canvas()
        for i in keep where category[i] != highlighted {
            canvas.marker(.of(category[i]), x: plot.px(x[i]), y: plot.py(y[i]), r: 2.8, color: Palette.category(category[i]))
        }
        for i in keep where category[i] == highlighted {
            Self.star(canvas, plot.px(x[i]), plot.py(y[i]))
        }
        if let h = highlighted, h < categories.count {
            let y = plot.top + 6 + Double(h) * 15, x = plot.left + plot.plotW + 16
            canvas.fill(x: x - 3, y: y - 7, w: 20, h: 14, color: .white)
            Self.star(canvas, x + 6, y)
        }
        var fitText = ""
        if let (slope, intercept, r) = fit {
            let (x0, x1) = (plot.xAxis.lo, plot.xAxis.hi)
            // Clip the line to the plot's y range.
            let y0 = min(max(intercept + slope * x0, plot.yAxis.lo), plot.yAxis.hi)
            let y1 = min(max(intercept + slope * x1, plot.yAxis.lo), plot.yAxis.hi)
            canvas.line(plot.px(slope == 0 ? x0 : (y0 - intercept) / slope), plot.py(y0),
                        plot.px(slope == 0 ? x1 : (y1 - intercept) / slope), plot.py(y1), color: .ink, width: 1.2)
            fitText = "r = \(label(r, digits: 3))"
            canvas.text(fitText, x: plot.left + 8, y: plot.top + 14, size: 9, bold: true)
        }
        let alt = "Scatter plot: \(title). \(keep.count) points, \(yLabel) against \(xLabel), coloured by "
            + "\(categories.count) categories (\(categories.joined(separator: ", ")))" + (fitText.isEmpty ? "." : "; least-squares line, \(fitText).")
        return Chart(png: canvas.png(), alt: alt, csv: csv)
    }

    /// The numbers behind the chart.
    public var csv: String {
        CSVText.table(header: [xLabel, yLabel, "category"],
                                rows: x.indices.map { [CSVText.number(x[$0]), CSVText.number(y[$0]), categories[category[$0]]] })
    }
}

extension ScatterSpec {
    /// A black six-pointed star with a white halo: a highlighted point, unlike any palette marker.
    static func star(_ canvas: Canvas, _ x: Double, _ y: Double) {
        for (dx, dy) in [(5.5, 0.0), (2.75, 4.76), (2.75, -4.76)] {
            canvas.line(x - dx, y - dy, x + dx, y + dy, color: .white, width: 4)
        }
        for (dx, dy) in [(5.0, 0.0), (2.5, 4.33), (2.5, -4.33)] {
            canvas.line(x - dx, y - dy, x + dx, y + dy, color: .ink, width: 2)
        }
    }
}
