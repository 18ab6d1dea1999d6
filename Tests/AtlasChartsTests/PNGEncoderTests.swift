@testable import AtlasCharts
import CGD
import Testing

/// The PNG encoder is checked by decoding its output with libgd's reader (libpng), an independent decoder,
/// and comparing every pixel with the drawing. Both of its forms are covered: indexed (at most 256
/// colours) and RGB (more).
@Suite struct PNGEncoderTests {
    /// The PNG's colour type: byte 25, after the signature (8), the IHDR length and type (8), width and
    /// height (8) and the bit depth (1). 3 is indexed, 2 is RGB.
    private func colourType(_ png: [UInt8]) -> UInt8 { png[25] }

    /// Decodes `png` with libpng (through libgd) and counts the pixels that differ from `image`.
    private func differingPixels(_ png: [UInt8], _ image: gdImagePtr) throws -> Int {
        var bytes = png
        let decoded = try #require(bytes.withUnsafeMutableBytes { cgd_ImageCreateFromPngPtr(Int32($0.count), $0.baseAddress) })
        defer { cgd_ImageDestroy(decoded) }
        // libgd reads an indexed PNG as a palette image; its own conversion gives the colours per pixel.
        if decoded.pointee.trueColor == 0 { #expect(cgd_ImagePaletteToTrueColor(decoded) == 1) }
        #expect(decoded.pointee.sx == image.pointee.sx && decoded.pointee.sy == image.pointee.sy)
        var differing = 0
        for y in 0..<Int(image.pointee.sy) {
            for x in 0..<Int(image.pointee.sx) where decoded.pointee.tpixels[y]![x] & 0xFFFFFF != image.pointee.tpixels[y]![x] & 0xFFFFFF {
                differing += 1
            }
        }
        return differing
    }

    @Test(.enabled(if: ChartTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func aFewColoursAreWrittenIndexedAndDecodeBack() throws {
        let canvas = Canvas(width: 97, height: 41, scale: 1, font: ChartTests.font!)
        canvas.fill(x: 10, y: 5, w: 30, h: 20, color: RGB(r: 200, g: 30, b: 90))
        canvas.fill(x: 60, y: 0, w: 37, h: 41, color: RGB(r: 0, g: 255, b: 1))
        canvas.line(0, 40, 96, 0, color: .ink, width: 2)
        canvas.text("Gain 1.5", x: 20, y: 35, size: 10, color: RGB(r: 10, g: 120, b: 250))
        canvas.circle(x: 80, y: 20, radius: 6, color: .white)
        let png = PNGEncoder.encode(canvas.image)
        #expect(colourType(png) == 3)
        #expect(try differingPixels(png, canvas.image) == 0)
        // The drawing is not trivially uniform: the fill colour is where it was put.
        #expect(canvas.image.pointee.tpixels[15]![20] & 0xFFFFFF == 0xC81E5A)
    }

    @Test(.enabled(if: ChartTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func manyColoursAreWrittenAsRGBAndDecodeBack() throws {
        // 300 one-pixel columns, each its own colour, then identical rows below (the Up filter's case).
        let canvas = Canvas(width: 300, height: 12, scale: 1, font: ChartTests.font!)
        for x in 0..<300 { canvas.fill(x: Double(x), y: 0, w: 1, h: 12, color: RGB(r: x % 256, g: x / 256 * 100, b: (x * 7) % 256)) }
        canvas.text("x", x: 3, y: 10, size: 8, color: .ink)
        let png = PNGEncoder.encode(canvas.image)
        #expect(colourType(png) == 2)
        #expect(try differingPixels(png, canvas.image) == 0)
    }

    @Test(.enabled(if: ChartTests.font != nil, "skipped: DejaVu Sans is not installed"))
    func exactly256ColoursStayIndexed() throws {
        // The palette's limit: 256 colours fit, the 257th does not.
        for (columns, type) in [(256, UInt8(3)), (257, UInt8(2))] {
            let canvas = Canvas(width: columns, height: 3, scale: 1, font: ChartTests.font!)
            for x in 0..<columns { canvas.fill(x: Double(x), y: 0, w: 1, h: 3, color: RGB(r: x % 256, g: x / 256, b: 9)) }
            let png = PNGEncoder.encode(canvas.image)
            #expect(colourType(png) == type, "\(columns) colours")
            #expect(try differingPixels(png, canvas.image) == 0)
        }
    }
}
