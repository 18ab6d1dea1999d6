/// Several series over a shared x axis, with a legend to the right of the plot (never over the data).
public struct LineChartSpec: ChartSpec {
    public struct Series: Sendable {
        public var name: String
        /// One value per x; `nil` breaks the line.
        public var values: [Double?]
        public init(name: String, values: [Double?]) { self.name = name; self.values = values }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, x: [Double], series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.series = series
    }

    public func render(_ style: ChartStyle) -> Chart {
        var plot = PlotFrame(title: title, xLabel: xLabel, yLabel: yLabel, legend: series.map(\.name), style: style,
                             xValues: x, yValues: series.flatMap { $0.values.compactMap { $0 } })
        plot.legendMarkers = true
        let canvas = plot.canvas()
        for (k, s) in series.enumerated() {
            let color = Palette.category(k)
            var previous: (Double, Double)?
            for (i, v) in s.values.enumerated() {
                guard let v, v.isFinite else { previous = nil; continue }
                let p = (plot.px(x[i]), plot.py(v))
                if let previous { canvas.line(previous.0, previous.1, p.0, p.1, color: color, width: 1.6) }
                canvas.marker(.of(k), x: p.0, y: p.1, r: 3, color: color)
                previous = p
            }
        }
        let alt = "Line chart: \(title). \(yLabel) against \(xLabel) (\(label(x.first ?? 0, digits: 0))–\(label(x.last ?? 0, digits: 0))) "
            + "for \(series.count) series: \(series.map(\.name).joined(separator: ", "))."
        return Chart(png: canvas.png(), alt: alt, csv: csv)
    }

    /// The numbers behind the chart.
    public var csv: String {
        CSVText.table(header: [xLabel] + series.map(\.name),
                                rows: x.indices.map { i in [CSVText.number(x[i])] + series.map { CSVText.number($0.values[i]) } })
    }
}
