import CGD
import Foundation

/// A string rasterized once, as coverage (0–255 per pixel), and blended into images in any colour after that.
///
/// libgd runs FreeType for every call, and FreeType runs the font's TrueType hinting program for every glyph
/// (and for every new size). That was over half of all chart drawing time, yet most labels recur: tick values,
/// names repeated across the per-base charts. Drawing the mask is a blend of a few hundred pixels.
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

    /// Rasterizes white text on black with libgd in one call, on a scratch image large enough for any
    /// glyphs (1.5 em per character, 2 em of line height, rotated), then crops to the inked pixels. The red
    /// channel is then the coverage. One call matters: each one sets up a new FreeType size, which runs
    /// the font's hinting set-up program.
    init(_ key: Key) {
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
            (dx, dy, width, height, coverage) = (0, 0, 0, 0, [])
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
        // The inked bounding box.
        var (top, bottom, left, right) = (Int.max, -1, Int.max, -1)
        for row in 0..<scratchHeight {
            let pixels = scratch.pointee.tpixels[row]!
            for col in 0..<scratchWidth where pixels[col] & 0xFF0000 != 0 {
                top = min(top, row); bottom = row
                left = min(left, col); right = max(right, col)
            }
        }
        guard bottom >= 0 else {
            (dx, dy, width, height, coverage) = (0, 0, 0, 0, [])
            return
        }
        let w = right - left + 1, h = bottom - top + 1
        var coverage = [UInt8](repeating: 0, count: w * h)
        for row in 0..<h {
            let pixels = scratch.pointee.tpixels[top + row]!
            for col in 0..<w { coverage[row * w + col] = UInt8((pixels[left + col] >> 16) & 0xFF) }
        }
        (dx, dy, width, height) = (left - originX, top - originY, w, h)
        self.coverage = coverage
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

/// A dictionary behind a lock, filled on demand and kept for the process's life.
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    /// The value for `key`, made by `make` the first time. `make` runs outside the lock; two threads may
    /// both make the same value, which is harmless since it is deterministic.
    func value(for key: Key, make: () -> Value) -> Value {
        if let known = lock.withLock({ values[key] }) { return known }
        let made = make()
        lock.withLock { values[key] = made }
        return made
    }
}
