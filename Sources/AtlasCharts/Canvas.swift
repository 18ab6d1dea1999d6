import CGD
import Foundation

/// A true-colour libgd image. It owns the `gdImagePtr` and destroys it in `deinit`; not `Sendable`.
///
/// Coordinates are in logical pixels; `scale` (1 or 2) multiplies every coordinate and font size, so the
/// 2× image is the same drawing at twice the resolution.
final class Canvas {
    let image: gdImagePtr
    let width: Int
    let height: Int
    let scale: Double
    let font: String
    /// DejaVu Sans Bold, beside the regular face.
    let boldFont: String

    /// The largest side drawn, in device pixels (the widest chart of the release is under 2,000).
    static let maxSide = 16_384

    init(width: Int, height: Int, scale: Int, font: String) {
        self.width = width
        self.height = height
        self.scale = Double(scale)
        self.font = font
        boldFont = font.replacingOccurrences(of: "DejaVuSans.ttf", with: "DejaVuSans-Bold.ttf")
        // libgd returns NULL when it cannot allocate (or for a size past its limits): sides are bounded,
        // and a failed allocation falls back to a blank pixel rather than a trap on the NULL.
        let side = { (n: Int) in Int32(max(1, min(Self.maxSide, n.multipliedReportingOverflow(by: scale).overflow ? Self.maxSide : n * scale))) }
        guard let created = cgd_ImageCreateTrueColor(side(width), side(height)) ?? cgd_ImageCreateTrueColor(1, 1) else {
            fatalError("libgd could not allocate an image of 1×1 pixel: out of memory")
        }
        image = created
        cgd_ImageAlphaBlending(image, 1)
        cgd_ImageSaveAlpha(image, 0)
        fill(x: 0, y: 0, w: Double(width), h: Double(height), color: .white)
    }

    deinit { cgd_ImageDestroy(image) }

    /// Device pixels for a logical coordinate, clamped far outside any image so that no value (huge,
    /// infinite or NaN, from a damaged database) can trap the conversion.
    private func s(_ v: Double) -> Int32 {
        let x = (v * scale).rounded()
        return x.isNaN ? 0 : Int32(max(-1e6, min(1e6, x)))
    }

    /// Fills with an opaque colour by writing pixels directly: libgd's rectangle fill blends pixel by
    /// pixel, which made the background alone a tenth of the drawing time.
    func fill(x: Double, y: Double, w: Double, h: Double, color: RGB) {
        guard w > 0, h > 0 else { return }
        let x0 = max(0, Int(s(x))), x1 = min(Int(image.pointee.sx), Int(s(x + w)))
        let y0 = max(0, Int(s(y))), y1 = min(Int(image.pointee.sy), Int(s(y + h)))
        guard x0 < x1 else { return }
        for row in y0..<max(y0, y1) {
            image.pointee.tpixels[row]!.advanced(by: x0).update(repeating: color.gd, count: x1 - x0)
        }
    }

    func rect(x: Double, y: Double, w: Double, h: Double, color: RGB) {
        cgd_ImageSetThickness(image, Int32(max(1, scale)))
        cgd_ImageRectangle(image, s(x), s(y), s(x + w), s(y + h), color.gd)
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: RGB, width: Double = 1) {
        cgd_ImageSetThickness(image, Int32(max(1, (width * scale).rounded())))
        cgd_ImageLine(image, s(x1), s(y1), s(x2), s(y2), color.gd)
        cgd_ImageSetThickness(image, 1)
    }

    func circle(x: Double, y: Double, radius: Double, color: RGB) {
        cgd_ImageFilledEllipse(image, s(x), s(y), s(2 * radius), s(2 * radius), color.gd)
    }

    enum Anchor { case start, middle, end }

    /// Draws text with its baseline at `y`, anchored at `x`; `angle` in degrees, counter-clockwise.
    func text(_ string: String, x: Double, y: Double, size: Double, color: RGB = .ink, anchor: Anchor = .start,
              angle: Double = 0, bold: Bool = false) {
        let offset: Double
        switch anchor {
        case .start: offset = 0
        case .middle: offset = measure(string, size: size, bold: bold) / 2
        case .end: offset = measure(string, size: size, bold: bold)
        }
        let radians = angle * Double.pi / 180
        let dx = -offset * cos(radians), dy = offset * sin(radians)
        let key = TextMask.Key(text: string, size: size * scale, angle: angle, font: bold ? boldFont : font)
        let mask = TextMask.cache.value(for: key) { TextMask(key) }
        mask.blend(into: image, x: Int(s(x + dx)), y: Int(s(y + dy)), color: color)
    }

    /// Width of `string` in logical pixels.
    func measure(_ string: String, size: Double, bold: Bool = false) -> Double {
        Canvas.measure(string, size: size, font: bold ? boldFont : font)
    }

    /// The width libgd would report for `string` (its bounding box), laid out from cached glyphs. The same
    /// labels are measured over and over (tick labels, names repeated across charts), so widths are
    /// remembered for the process's life.
    static func measure(_ string: String, size: Double, font: String) -> Double {
        TextMask.widths.value(for: TextMask.Key(text: string, size: size, angle: 0, font: font)) {
            // libgd's bounding box, from cached glyphs; from libgd itself when FreeType cannot be opened.
            Glyphs.font(font, size: size)?.boxWidth(string) ?? measureUncached(string, size: size, font: font)
        }
    }

    /// libgd's own bounding-box width: the fallback when FreeType cannot be opened, and the reference the
    /// glyph layout is tested against.
    static func measureUncached(_ string: String, size: Double, font: String) -> Double {
        var brect = [Int32](repeating: 0, count: 8)
        _ = string.withCString { text in
            font.withCString { f in
                cgd_ImageStringFT(nil, &brect, 0, UnsafeMutablePointer(mutating: f), size, 0, 0, 0, UnsafeMutablePointer(mutating: text))
            }
        }
        return Double(brect[2] - brect[0])
    }

    /// The image as PNG bytes. The same drawing gives the same bytes.
    func png() -> [UInt8] { PNGEncoder.encode(image) }
}

/// An opaque colour.
struct RGB: Equatable {
    var r: Int, g: Int, b: Int

    var gd: Int32 { Int32((r << 16) | (g << 8) | b) }

    static let white = RGB(r: 255, g: 255, b: 255)
    static let ink = RGB(r: 33, g: 37, b: 41)
    static let muted = RGB(r: 108, g: 117, b: 125)
    static let grid = RGB(r: 222, g: 226, b: 230)
    static let missing = RGB(r: 206, g: 212, b: 218)

    func mixed(with other: RGB, _ t: Double) -> RGB {
        RGB(r: Int((Double(r) + (Double(other.r - r)) * t).rounded()), g: Int((Double(g) + Double(other.g - g) * t).rounded()),
            b: Int((Double(b) + Double(other.b - b) * t).rounded()))
    }

    /// Relative luminance, for choosing readable label colours.
    var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }
}

/// Colour maps.
enum Palette {
    /// Diverging orange–white–blue (ColorBrewer PuOr's orange end, RdBu's blue end; 7 stops), `t` in
    /// [−1, 1], white at 0: blue for positive (a gain), orange for negative, so red never reads as "good".
    static func diverging(_ t: Double) -> RGB {
        let stops = [RGB(r: 179, g: 88, b: 6), RGB(r: 224, g: 130, b: 20), RGB(r: 253, g: 184, b: 99), .white,
                     RGB(r: 146, g: 197, b: 222), RGB(r: 67, g: 147, b: 195), RGB(r: 33, g: 102, b: 172)]
        let x = (max(-1, min(1, t)) + 1) / 2 * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], x - Double(i))
    }

    /// Twelve categorical colours, each at least 3:1 against white (WCAG contrast 3.9–10.3), repeated
    /// beyond; line charts also give each series its own marker (`Marker`), so colour is never the only cue.
    static let categories = [RGB(r: 31, g: 119, b: 180), RGB(r: 213, g: 94, b: 0), RGB(r: 0, g: 140, b: 100), RGB(r: 204, g: 51, b: 139),
                             RGB(r: 120, g: 130, b: 20), RGB(r: 120, g: 60, b: 200), RGB(r: 140, g: 86, b: 75), RGB(r: 160, g: 120, b: 0),
                             RGB(r: 96, g: 96, b: 96), RGB(r: 178, g: 24, b: 43), RGB(r: 33, g: 60, b: 130), RGB(r: 0, g: 128, b: 128)]

    static func category(_ i: Int) -> RGB { categories[i % categories.count] }
}

/// Marker shapes for series, in order: circle, square, triangle up, diamond, triangle down, plus, cross, bar.
enum Marker: Int, CaseIterable {
    case circle, square, triangleUp, diamond, triangleDown, plus, cross, bar

    static func of(_ i: Int) -> Marker { Marker(rawValue: i % allCases.count)! }
}

extension Canvas {
    /// Draws `marker` centred at (x, y), `r` logical pixels from centre to edge.
    func marker(_ marker: Marker, x: Double, y: Double, r: Double, color: RGB) {
        switch marker {
        case .circle: circle(x: x, y: y, radius: r, color: color)
        case .square: fill(x: x - r * 0.85, y: y - r * 0.85, w: r * 1.7, h: r * 1.7, color: color)
        case .bar: fill(x: x - r * 1.1, y: y - r * 0.45, w: r * 2.2, h: r * 0.9, color: color)
        case .plus:
            line(x - r * 1.1, y, x + r * 1.1, y, color: color, width: 1.6)
            line(x, y - r * 1.1, x, y + r * 1.1, color: color, width: 1.6)
        case .cross:
            line(x - r, y - r, x + r, y + r, color: color, width: 1.6)
            line(x - r, y + r, x + r, y - r, color: color, width: 1.6)
        case .triangleUp, .triangleDown, .diamond:
            // Filled by rows of device pixels: half-width as a function of the row's offset from the top.
            let top = y - r * 1.1, height = r * 2.2, step = 1 / scale
            var dy = 0.0
            while dy < height {
                let t = (dy + step / 2) / height
                let half: Double
                switch marker {
                case .triangleUp: half = r * 1.1 * t
                case .triangleDown: half = r * 1.1 * (1 - t)
                default: half = r * 1.1 * (1 - abs(2 * t - 1))
                }
                fill(x: x - half, y: top + dy, w: 2 * half, h: step, color: color)
                dy += step
            }
        }
    }
}
