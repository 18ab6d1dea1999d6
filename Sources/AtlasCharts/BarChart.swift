/// Grouped bars: for each group, one bar per series, on a zero baseline (negative bars go down).
public struct GroupedBarSpec: ChartSpec {
    public var title: String
    public var yLabel: String
    public var groups: [String]
    public var series: [String]
    /// groups × series; `nil` leaves a gap.
    public var values: [[Double?]]

    public init(title: String, yLabel: String, groups: [String], series: [String], values: [[Double?]]) {
        self.title = title
        self.yLabel = yLabel
        self.groups = groups
        self.series = series
        self.values = values
    }

    public func render(_ style: ChartStyle) -> Chart {
        let all = values.flatMap { $0 }.compactMap { $0 }
        let plot = PlotFrame(title: title, xLabel: "", yLabel: yLabel, legend: series.count > 1 ? series : [], style: style,
                             xValues: [0, Double(groups.count)], yValues: all, yIncludesZero: true)
        let canvas = plot.canvas(extraHeight: 60, xTicks: false)
        let groupW = plot.plotW / Double(max(groups.count, 1))
        let barW = groupW * 0.8 / Double(max(series.count, 1))
        let zero = plot.py(0)
        for (g, row) in values.enumerated() {
            let gx = plot.left + Double(g) * groupW + groupW * 0.1
            for (s, v) in row.enumerated() {
                guard let v, v.isFinite else { continue }
                let y = plot.py(v)
                canvas.fill(x: gx + Double(s) * barW, y: min(y, zero), w: max(barW - 1, 1), h: abs(zero - y), color: Palette.category(s))
            }
            canvas.text(groups[g], x: gx + groupW * 0.4 + 4, y: plot.top + plot.plotH + 6, size: 9, anchor: .end, angle: 45)
        }
        let alt = "Bar chart: \(title). \(yLabel) for \(groups.count) groups (\(groups.joined(separator: ", ")))"
            + (series.count > 1 ? ", \(series.count) bars each (\(series.joined(separator: ", ")))." : ".")
        return Chart(png: canvas.png(), alt: alt, csv: csv)
    }

    /// The numbers behind the chart.
    public var csv: String {
        CSVText.table(header: [""] + series, rows: values.enumerated().map { g, row in [groups[g]] + row.map(CSVText.number) })
    }
}
