import Foundation

/// Shared layout of charts with x and y axes: title, axes with ticks and grid, axis labels, legend.
struct PlotFrame {
    let title: String
    let xLabel: String
    let yLabel: String
    let legend: [String]
    /// Whether the legend shows each series' marker on a short line (line and scatter charts) rather than a swatch.
    var legendMarkers = false
    let style: ChartStyle
    let xAxis: Axis
    let yAxis: Axis
    let left = 64.0, top = 40.0, plotW = 440.0, plotH = 280.0
    let legendWidth: Double
    var width: Int { Int(left + plotW + 16 + legendWidth + 12) }
    /// Tall enough for the plot and for a legend longer than the plot (15 px a row).
    var height: Int { Int(max(top + plotH + 52, top + 6 + Double(legend.count) * 15 + 8)) }

    init(title: String, xLabel: String, yLabel: String, legend: [String], style: ChartStyle, xValues: [Double],
         yValues: [Double], xIncludesZero: Bool = false, yIncludesZero: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.legend = legend
        self.style = style
        xAxis = Axis(values: xValues, includeZero: xIncludesZero)
        yAxis = Axis(values: yValues, includeZero: yIncludesZero)
        legendWidth = legend.isEmpty ? 0 : 22 + (legend.map { Canvas.measure($0, size: 9, font: style.font) }.max() ?? 0)
    }

    func px(_ v: Double) -> Double { xAxis.map(v, left, left + plotW) }
    func py(_ v: Double) -> Double { yAxis.map(v, top + plotH, top) }

    /// A canvas with the frame drawn: title, grid, ticks, axis labels and legend. `extraHeight` makes room
    /// below the plot (for slanted group labels); without `xTicks` the x axis gets no ticks or numbers.
    func canvas(extraHeight: Int = 0, xTicks: Bool = true) -> Canvas {
        let c = Canvas(width: max(width, Int(Canvas.measure(title, size: 12, font: style.font) + 30)), height: height + extraHeight,
                       scale: style.scale, font: style.font)
        c.text(title, x: 12, y: 24, size: 12, bold: true)
        for t in yAxis.ticks {
            let y = py(t)
            c.line(left, y, left + plotW, y, color: t == 0 ? .muted : .grid)
            c.text(yAxis.label(t), x: left - 6, y: y + 3, size: 9, color: .muted, anchor: .end)
        }
        for t in xTicks ? xAxis.ticks : [] {
            let x = px(t)
            c.line(x, top + plotH, x, top + plotH + 4, color: .muted)
            c.text(xAxis.label(t), x: x, y: top + plotH + 15, size: 9, color: .muted, anchor: .middle)
        }
        c.rect(x: left, y: top, w: plotW, h: plotH, color: .muted)
        c.text(xLabel, x: left + plotW / 2, y: top + plotH + 34, size: 9, anchor: .middle)
        c.text(yLabel, x: 16, y: top + plotH / 2, size: 9, anchor: .middle, angle: 90)
        for (k, name) in legend.enumerated() {
            let y = top + 6 + Double(k) * 15
            let x = left + plotW + 16
            if legendMarkers {
                c.line(x - 2, y, x + 14, y, color: Palette.category(k), width: 1.4)
                c.marker(.of(k), x: x + 6, y: y, r: 3.4, color: Palette.category(k))
            } else {
                c.fill(x: x, y: y - 4, w: 12, h: 8, color: Palette.category(k))
            }
            c.text(name, x: x + 18, y: y + 3, size: 9)
        }
        return c
    }
}
