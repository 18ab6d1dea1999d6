import AtlasCharts
import Foundation
import Testing

@Suite struct ChartTests {
    static let font = try? ChartStyle.locateFont()

    private func size(_ png: [UInt8]) -> (Int, Int) {
        // IHDR: width and height are big-endian at bytes 16–23.
        let w = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        return (w, h)
    }

    private var heatmap: HeatmapSpec {
        HeatmapSpec(title: "Test, with \"quotes\"", rowLabels: ["a", "=b"], columnLabels: ["x", "y", "z"],
                    values: [[1, -0.5, nil], [0.25, 0, 2]], scaleCaption: "gain")
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func heatmapIsDeterministicAndScales() {
        let one = heatmap.render(ChartStyle(font: Self.font!))
        let again = heatmap.render(ChartStyle(font: Self.font!))
        let two = heatmap.render(ChartStyle(font: Self.font!, scale: 2))
        #expect(one.png == again.png)
        #expect(one.png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let (w1, h1) = size(one.png), (w2, h2) = size(two.png)
        #expect(w2 == 2 * w1 && h2 == 2 * h1)
        #expect(one.alt.contains("2 rows") && one.alt.contains("3 columns") && one.alt.contains("1 cells missing"))
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func csvIsRFC4180AndNeutralizesFormulas() {
        let csv = heatmap.render(ChartStyle(font: Self.font!)).csv
        // A label starting with '=' is prefixed with a quote; missing values are empty cells; CRLF line ends.
        #expect(csv == ",x,y,z\r\na,1.0,-0.5,\r\n'=b,0.25,0.0,2.0\r\n")
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func otherKinds() {
        let style = ChartStyle(font: Self.font!)
        let lines = LineChartSpec(title: "t", xLabel: "epoch", yLabel: "score", x: [1, 2, 3],
                                  series: [.init(name: "a", values: [1, nil, 3]), .init(name: "b", values: [2, 2, 2])]).render(style)
        #expect(lines.csv == "epoch,a,b\r\n1.0,1.0,2.0\r\n2.0,,2.0\r\n3.0,3.0,2.0\r\n")
        let scatter = ScatterSpec(title: "s", xLabel: "x", yLabel: "y", x: [0, 1, 2], y: [0, 1, 2], category: [0, 0, 1],
                                  categories: ["p", "q"], fit: (slope: 1, intercept: 0, r: 1)).render(style)
        #expect(scatter.alt.contains("r = 1.000"))
        let bars = GroupedBarSpec(title: "b", yLabel: "v", groups: ["g1", "g2"], series: ["s"], values: [[1], [-1]]).render(style)
        #expect(bars.png.count > 100 && bars.csv == ",s\r\ng1,1.0\r\ng2,-1.0\r\n")
    }
}
