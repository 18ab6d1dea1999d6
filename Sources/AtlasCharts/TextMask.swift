import CGD
import Foundation

/// A string rasterized once, as coverage (0–255 per pixel), and blended into images in any colour after that.
///
/// libgd runs FreeType for every call, and FreeType runs the font's TrueType hinting program for every glyph
/// (and for every new size). That was over half of all chart drawing time, yet most labels recur: tick values,
/// names repeated across the per-base charts. Drawing the mask is a blend of a few hundred pixels.
///
/// Horizontal and vertical text is set from glyphs that are each loaded once (`Glyphs`), the way libgd
/// sets a string: pen positions from hinted advances and kerning at 300 dpi, each glyph's 96-dpi pixels
/// placed at its pen position rounded down, coverage kept to libgd's 128 levels and overlaps blended as
/// libgd blends them. Horizontal text comes out pixel for pixel as libgd draws it; vertical text is the
/// horizontal mask turned a quarter turn (libgd rasterizes rotated outlines, so its pixels differ
/// slightly). Building the real data's static site asked libgd for 7,202 strings, 78,594 glyph loads, each
/// hinted twice: a sixth of the build's CPU time. Other angles still go through libgd.
struct TextMask: Sendable {
    struct Key: Hashable, Sendable {
        var text: String
        /// libgd's point size, already multiplied by the canvas scale (libgd draws points at 96 dpi).
        var size: Double
        /// Degrees, counter-clockwise.
        var angle: Double
        var font: String
    }

    static let cache = LockedCache<Key, TextMask>()
    static let widths = LockedCache<Key, Double>()

    /// Offset of the mask's top-left corner from the text's origin (the start of its baseline).
    let dx: Int, dy: Int
    let width: Int, height: Int
    let coverage: [UInt8]

    init(_ key: Key) {
        if key.angle == 0 || key.angle == 90, let font = Glyphs.font(key.font, size: key.size) {
            let horizontal = TextMask(setting: key.text, in: font)
            self = key.angle == 0 ? horizontal : horizontal.rotatedCounterClockwise()
        } else {
            self.init(libgd: key)
        }
    }

    init(dx: Int, dy: Int, width: Int, height: Int, coverage: [UInt8]) {
        (self.dx, self.dy, self.width, self.height, self.coverage) = (dx, dy, width, height, coverage)
    }

    /// Sets `text` on one baseline from cached glyphs, as libgd does.
    init(setting text: String, in font: Glyphs.Font) {
        let layout = font.layout(text)
        // Each glyph's pixels at the pen position, metric units scaled to pixels (multiplied first, as libgd
        // does, so the rounding matches), rounded down.
        let placed = zip(layout.glyphs, layout.pens).map { g, pen in
            (g, Int((Double(pen) * Glyphs.pixelDPI / (64 * Glyphs.metricDPI)).rounded(.down)) + g.left)
        }
            .filter { $0.0.width > 0 }
        guard let left = placed.map({ $0.1 }).min(), let right = placed.map({ $0.1 + $0.0.width }).max(),
              let top = placed.map({ -$0.0.top }).min(), let bottom = placed.map({ -$0.0.top + $0.0.rows }).max() else {
            self.init(dx: 0, dy: 0, width: 0, height: 0, coverage: [])
            return
        }
        let width = right - left, height = bottom - top
        var coverage = [UInt8](repeating: 0, count: width * height)
        for (glyph, x) in placed {
            let x0 = x - left, y0 = -glyph.top - top
            for row in 0..<glyph.rows {
                for col in 0..<glyph.width {
                    // libgd blends white at this opacity (of 127) over what is there: full opacity replaces it.
                    let q = Int(glyph.levels[row * glyph.width + col])
                    if q == 0 { continue }
                    let i = (y0 + row) * width + x0 + col
                    coverage[i] = q == 127 ? 255 : UInt8((255 * q + Int(coverage[i]) * (127 - q)) / 127)
                }
            }
        }
        self = TextMask(dx: left, dy: top, width: width, height: height, coverage: coverage).cropped()
    }

    /// The mask cut down to its inked pixels (glyph boxes can have blank edges).
    func cropped() -> TextMask {
        var (top, bottom, left, right) = (Int.max, -1, Int.max, -1)
        for row in 0..<height {
            for col in 0..<width where coverage[row * width + col] != 0 {
                top = min(top, row); bottom = row
                left = min(left, col); right = max(right, col)
            }
        }
        guard bottom >= 0 else { return TextMask(dx: 0, dy: 0, width: 0, height: 0, coverage: []) }
        if (top, bottom, left, right) == (0, height - 1, 0, width - 1) { return self }
        let w = right - left + 1, h = bottom - top + 1
        var out = [UInt8](repeating: 0, count: w * h)
        for row in 0..<h {
            for col in 0..<w { out[row * w + col] = coverage[(top + row) * width + left + col] }
        }
        return TextMask(dx: dx + left, dy: dy + top, width: w, height: h, coverage: out)
    }

    /// The same pixels turned a quarter turn counter-clockwise about the text's origin (text reading
    /// upwards): a point `u` along the baseline and `v` below it goes to x = v, y = −u.
    func rotatedCounterClockwise() -> TextMask {
        var turned = [UInt8](repeating: 0, count: coverage.count)
        for row in 0..<height {
            for col in 0..<width { turned[(width - 1 - col) * height + row] = coverage[row * width + col] }
        }
        return TextMask(dx: dy, dy: -(dx + width - 1), width: height, height: width, coverage: turned)
    }

    /// Rasterizes white text on black with libgd in one call, on a scratch image large enough for any
    /// glyphs (1.5 em per character, 2 em of line height, rotated), then crops to the inked pixels. The red
    /// channel is then the coverage. One call matters: each one sets up a new FreeType size, which runs
    /// the font's hinting set-up program.
    init(libgd key: Key) {
        let radians = key.angle * Double.pi / 180
        let em = key.size * 96 / 72 // libgd draws points at 96 dpi
        let length = 1.5 * em * Double(key.text.unicodeScalars.count) + em
        let (cosA, sinA) = (cos(radians), sin(radians))
        // Corners of the box [0, length] × [−2 em, +1 em] around the baseline, rotated; y grows downwards.
        let corners = [(0.0, -2 * em), (length, -2 * em), (0.0, em), (length, em)].map { (u, v) in
            (u * cosA + v * sinA, -u * sinA + v * cosA)
        }
        let originX = Int((-corners.map(\.0).min()!).rounded(.up)) + 2
        let originY = Int((-corners.map(\.1).min()!).rounded(.up)) + 2
        let scratchWidth = Int(corners.map(\.0).max()!.rounded(.up)) + originX + 2
        let scratchHeight = Int(corners.map(\.1).max()!.rounded(.up)) + originY + 2
        guard let scratch = cgd_ImageCreateTrueColor(Int32(scratchWidth), Int32(scratchHeight)) else {
            self.init(dx: 0, dy: 0, width: 0, height: 0, coverage: [])
            return
        }
        defer { cgd_ImageDestroy(scratch) }
        cgd_ImageAlphaBlending(scratch, 1)
        var brect = [Int32](repeating: 0, count: 8)
        _ = key.text.withCString { text in
            key.font.withCString { f in
                cgd_ImageStringFT(scratch, &brect, 0xFFFFFF, f, key.size, radians, Int32(originX), Int32(originY), text)
            }
        }
        // The red channel is the coverage; then cut down to the inked pixels.
        var coverage = [UInt8](repeating: 0, count: scratchWidth * scratchHeight)
        for row in 0..<scratchHeight {
            let pixels = scratch.pointee.tpixels[row]!
            for col in 0..<scratchWidth { coverage[row * scratchWidth + col] = UInt8((pixels[col] >> 16) & 0xFF) }
        }
        self = TextMask(dx: -originX, dy: -originY, width: scratchWidth, height: scratchHeight, coverage: coverage).cropped()
    }

    /// Blends the text in `color` with its origin at device pixel (`x`, `y`), clipped to the image.
    func blend(into image: gdImagePtr, x: Int, y: Int, color: RGB) {
        let imageWidth = Int(image.pointee.sx), imageHeight = Int(image.pointee.sy)
        let left = x + dx, top = y + dy
        let cols = max(0, -left)..<max(0, min(width, imageWidth - left))
        coverage.withUnsafeBufferPointer { mask in
            for row in max(0, -top)..<max(0, min(height, imageHeight - top)) {
                let pixels = image.pointee.tpixels[top + row]!
                let maskRow = mask.baseAddress! + row * width
                for col in cols {
                    let c = Int(maskRow[col])
                    if c == 0 { continue }
                    let p = Int(pixels[left + col])
                    func mix(_ under: Int, _ over: Int) -> Int { (under * (255 - c) + over * c + 127) / 255 }
                    let r = mix((p >> 16) & 0xFF, color.r), g = mix((p >> 8) & 0xFF, color.g), b = mix(p & 0xFF, color.b)
                    pixels[left + col] = Int32((r << 16) | (g << 8) | b)
                }
            }
        }
    }
}

/// Glyphs loaded one at a time with FreeType, each kept for the process's life, by font file and size.
enum Glyphs {
    /// libgd lays a string out at 300 dpi and draws its glyphs at 96 dpi (26.6 fixed point: 64 units a pixel).
    static let metricDPI = 300.0, pixelDPI = 96.0

    struct Glyph: Sendable {
        let index: UInt32
        /// At 300 dpi, in 26.6 fixed point: how far the pen moves, and the left edge's offset from the pen.
        let advance: Int, bearing: Int
        /// The 96-dpi pixels: top-left corner `left` pixels right of the pen and `top` above the baseline.
        let left: Int, top: Int
        let width: Int, rows: Int
        /// Coverage in libgd's 128 levels (0–127).
        let levels: [UInt8]
    }

    /// A string's glyphs with the pen position of each (300 dpi, 26.6) and the advances with kerning.
    struct Layout {
        var glyphs: [Glyph] = []
        var pens: [Int] = []
        var advances: [Int] = []
    }

    final class Font: @unchecked Sendable {
        // The handles are only used through the shim's functions, which take FreeType's lock.
        private let pixels: OpaquePointer, metrics: OpaquePointer
        private let glyphs = LockedCache<UInt32, Glyph>()

        init(pixels: OpaquePointer, metrics: OpaquePointer) { (self.pixels, self.metrics) = (pixels, metrics) }

        func glyph(_ codepoint: UInt32) -> Glyph {
            glyphs.value(for: codepoint) {
                var metric = cgd_glyph(), info = cgd_glyph()
                _ = cgd_FontGlyph(metrics, codepoint, 0, &metric)
                let bitmap = cgd_FontGlyph(pixels, codepoint, 1, &info)
                defer { free(bitmap) }
                let count = Int(info.width) * Int(info.rows)
                // libgd keeps 7 bits of coverage (the levels of its alpha channel).
                let levels = bitmap.map { UnsafeBufferPointer(start: $0, count: count).map { UInt8(Int($0) * 127 / 255) } } ?? []
                return Glyph(index: metric.index, advance: metric.advance, bearing: metric.bearing, left: Int(info.left), top: Int(info.top),
                             width: levels.isEmpty ? 0 : Int(info.width), rows: levels.isEmpty ? 0 : Int(info.rows), levels: levels)
            }
        }

        /// libgd's layout: each glyph's advance, plus the kerning with the next glyph (at 300 dpi).
        func layout(_ text: String) -> Layout {
            var layout = Layout()
            var pen = 0
            for scalar in text.unicodeScalars {
                let glyph = self.glyph(scalar.value)
                if let previous = layout.glyphs.last {
                    let kerning = cgd_FontKerning(metrics, previous.index, glyph.index)
                    layout.advances[layout.advances.count - 1] += kerning
                    pen += kerning
                }
                layout.glyphs.append(glyph)
                layout.pens.append(pen)
                layout.advances.append(glyph.advance)
                pen += glyph.advance
            }
            return layout
        }

        /// The width of libgd's bounding box for `text` (what `gdImageStringFT` reports as brect[2] − brect[0]):
        /// from the leftmost glyph edge to the furthest advance, scaled to 96-dpi pixels and truncated.
        func boxWidth(_ text: String) -> Double {
            let layout = layout(text)
            guard !layout.glyphs.isEmpty else { return 0 }
            let minX = zip(layout.pens, layout.glyphs).map { $0 + $1.bearing }.min()!
            let maxX = zip(layout.pens, layout.advances).map { $0 + $1 }.max()!
            let scale = Glyphs.pixelDPI / (64 * Glyphs.metricDPI)
            return Double(Int(Double(maxX) * scale) - Int(Double(minX) * scale))
        }
    }

    struct FontKey: Hashable { var path: String; var size: Double }
    private static let fonts = LockedCache<FontKey, Font?>()

    /// The font file at a libgd point size, or nil when FreeType cannot open it.
    static func font(_ path: String, size: Double) -> Font? {
        fonts.value(for: FontKey(path: path, size: size)) {
            guard let pixels = cgd_FontOpen(path, size, UInt32(pixelDPI)), let metrics = cgd_FontOpen(path, size, UInt32(metricDPI)) else { return nil }
            return Font(pixels: pixels, metrics: metrics)
        }
    }
}
