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
        let canvas = Canvas(width: plot.width + 0, height: plot.height + 60, scale: style.scale, font: style.font)
        canvas.text(title, x: 12, y: 24, size: 12, bold: true)
        for t in plot.yAxis.ticks {
            let y = plot.py(t)
            canvas.line(plot.left, y, plot.left + plot.plotW, y, color: t == 0 ? .muted : .grid)
            canvas.text(plot.yAxis.label(t), x: plot.left - 6, y: y + 3, size: 8, color: .muted, anchor: .end)
        }
        canvas.rect(x: plot.left, y: plot.top, w: plot.plotW, h: plot.plotH, color: .muted)
        canvas.text(yLabel, x: 16, y: plot.top + plot.plotH / 2, size: 9, anchor: .middle, angle: 90)
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
            canvas.text(groups[g], x: gx + groupW * 0.4 + 4, y: plot.top + plot.plotH + 6, size: 8.5, anchor: .end, angle: 45)
        }
        for (k, name) in (series.count > 1 ? series : []).enumerated() {
            let y = plot.top + 6 + Double(k) * 15, x = plot.left + plot.plotW + 16
            canvas.fill(x: x, y: y - 4, w: 12, h: 8, color: Palette.category(k))
            canvas.text(name, x: x + 18, y: y + 3, size: 8.5)
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
