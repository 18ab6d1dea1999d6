@testable import AtlasCharts
import CGD
import Testing

/// The PNG encoder is checked by decoding its output with libgd's reader (libpng), an independent decoder,
/// and comparing every pixel with the drawing.
@Suite struct PNGEncoderTests {
    @Test(.enabled(if: ChartTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func libpngDecodesEveryPixelBack() throws {
        let canvas = Canvas(width: 97, height: 41, scale: 1, font: ChartTests.font!)
        canvas.fill(x: 10, y: 5, w: 30, h: 20, color: RGB(r: 200, g: 30, b: 90))
        canvas.fill(x: 60, y: 0, w: 37, h: 41, color: RGB(r: 0, g: 255, b: 1))
        canvas.line(0, 40, 96, 0, color: .ink, width: 2)
        canvas.text("Gain 1.5", x: 20, y: 35, size: 10, color: RGB(r: 10, g: 120, b: 250))
        canvas.circle(x: 80, y: 20, radius: 6, color: .white)
        var bytes = PNGEncoder.encode(canvas.image)
        let decoded = try #require(bytes.withUnsafeMutableBytes { cgd_ImageCreateFromPngPtr(Int32($0.count), $0.baseAddress) })
        defer { cgd_ImageDestroy(decoded) }
        #expect(decoded.pointee.sx == 97 && decoded.pointee.sy == 41)
        var differing = 0
        for y in 0..<41 {
            for x in 0..<97 where decoded.pointee.tpixels[y]![x] & 0xFFFFFF != canvas.image.pointee.tpixels[y]![x] & 0xFFFFFF {
                differing += 1
            }
        }
        #expect(differing == 0)
        // The drawing is not trivially uniform: the fill colour is where it was put.
        #expect(decoded.pointee.tpixels[15]![20] & 0xFFFFFF == 0xC81E5A)
    }
}
