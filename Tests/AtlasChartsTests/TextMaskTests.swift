@testable import AtlasCharts
import Testing

/// Text set from cached glyphs against libgd drawing the same string itself (the reference: one
/// `gdImageStringFT` call per string, as the charts used before).
@Suite struct TextMaskTests {
    static let font = ChartTests.font
    /// Kerning pairs (AV, To, Wa, "y."), digits and signs, spaces, non-ASCII, and the labels' kinds of text.
    static let samples = ["AVATAR To Wa y.", "−0.25 +1.5 12,345", "Llama-3-Swallow-8B", "without ultrachat", "MMLU-zh",
                          "Qwen2.5-7B · full · 1k", "Gain (points)", "é ü 漢 Ω", "i", " ", ""]

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func horizontalTextMatchesLibgdPixelForPixel() throws {
        for path in [Self.font!, Self.font!.replacingOccurrences(of: "DejaVuSans.ttf", with: "DejaVuSans-Bold.ttf")] {
            for size in [8.0, 9, 10.5, 17, 26] {
                let font = try #require(Glyphs.font(path, size: size))
                for text in Self.samples {
                    let libgd = TextMask(libgd: .init(text: text, size: size, angle: 0, font: path))
                    let set = TextMask(setting: text, in: font)
                    #expect(set.dx == libgd.dx && set.dy == libgd.dy && set.width == libgd.width && set.height == libgd.height, "\(text) at \(size)")
                    #expect(set.coverage == libgd.coverage, "\(text) at \(size)")
                    #expect(font.boxWidth(text) == Canvas.measureUncached(text, size: size, font: path), "\(text) at \(size)")
                }
            }
        }
    }

    @Test(.enabled(if: font != nil, "skipped: DejaVu Sans is not installed"))
    func verticalTextIsTheHorizontalMaskTurnedAQuarter() throws {
        for text in ["MMLU-zh", "Score", "NaturalQuestions"] {
            let horizontal = TextMask(setting: text, in: try #require(Glyphs.font(Self.font!, size: 10)))
            let turned = horizontal.rotatedCounterClockwise()
            #expect(turned.width == horizontal.height && turned.height == horizontal.width)
            // A point u along the baseline and v below it goes to x = v, y = −u: the last column ends at the top.
            for row in 0..<horizontal.height {
                for col in 0..<horizontal.width {
                    #expect(turned.coverage[(horizontal.width - 1 - col) * turned.width + row] == horizontal.coverage[row * horizontal.width + col])
                }
            }
            #expect(turned.dx == horizontal.dy && turned.dy == -(horizontal.dx + horizontal.width - 1))
            // libgd rasterizes the rotated outline itself and rounds the upward pen positions toward zero, so its
            // glyphs sit up to 2 pixels higher; the place and size agree to 2 pixels, the ink to 3%.
            let libgd = TextMask(libgd: .init(text: text, size: 10, angle: 90, font: Self.font!))
            #expect(abs(libgd.dx - turned.dx) <= 1 && abs(libgd.dy - turned.dy) <= 2 && abs(libgd.height - turned.height) <= 2, "\(text): libgd \((libgd.dx, libgd.dy, libgd.width, libgd.height)), set \((turned.dx, turned.dy, turned.width, turned.height))")
            let ink = { (m: TextMask) in Double(m.coverage.reduce(0) { $0 + Int($1) }) }
            #expect(abs(ink(libgd) - ink(turned)) / ink(libgd) < 0.03, "\(text)")
        }
    }
}
