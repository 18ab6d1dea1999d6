@testable import AtlasCharts
import Foundation
import Testing

/// The charts' colours: legible against white, and a gain scale whose positive end is not red.
@Suite struct PaletteTests {
    /// WCAG 2 contrast against white: (1.05) / (L + 0.05), L the relative luminance of the sRGB colour
    /// (each channel c/255 linearized as c/12.92 below 0.03928, else ((c + 0.055)/1.055)^2.4).
    static func contrastWithWhite(_ c: RGB) -> Double {
        func lin(_ v: Int) -> Double { let x = Double(v) / 255; return x <= 0.03928 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4) }
        let l = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
        return 1.05 / (l + 0.05)
    }

    @Test func everyCategoryColourHasThreeToOneAgainstWhite() {
        // Worked by hand for the first: (31, 119, 180) → L ≈ 0.168 → 1.05 / 0.218 ≈ 4.82.
        #expect(abs(Self.contrastWithWhite(RGB(r: 31, g: 119, b: 180)) - 4.82) < 0.01)
        for (i, c) in Palette.categories.enumerated() {
            #expect(Self.contrastWithWhite(c) >= 3, "colour \(i) \(c) is \(Self.contrastWithWhite(c)):1")
        }
        #expect(Set(Palette.categories.map(\.gd)).count == Palette.categories.count)
    }

    @Test func gainsAreBlueAndLossesOrange() {
        let gain = Palette.diverging(1), loss = Palette.diverging(-1)
        #expect(gain.b > gain.r + 100 && loss.r > loss.b + 100)
        #expect(Palette.diverging(0) == .white)
    }

    @Test func seriesGetDistinctMarkers() {
        #expect(Set((0..<Marker.allCases.count).map { Marker.of($0) }).count == 8 && Marker.of(8) == .circle)
    }
}
