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
        /// In device pixels (points at 96 dpi, as libgd uses).
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

    /// Rasterizes white text on black with libgd; the red channel is then the coverage.
    init(_ key: Key) {
        let radians = key.angle * Double.pi / 180
        var brect = [Int32](repeating: 0, count: 8)
        _ = key.text.withCString { text in
            key.font.withCString { f in cgd_ImageStringFT(nil, &brect, 0, f, key.size, radians, 0, 0, text) }
        }
        let xs = stride(from: 0, to: 8, by: 2).map { Int(brect[$0]) }
        let ys = stride(from: 1, to: 8, by: 2).map { Int(brect[$0]) }
        let pad = 2
        dx = xs.min()! - pad
        dy = ys.min()! - pad
        width = xs.max()! - xs.min()! + 2 * pad + 1
        height = ys.max()! - ys.min()! + 2 * pad + 1
        guard let scratch = cgd_ImageCreateTrueColor(Int32(width), Int32(height)) else {
            coverage = []
            return
        }
        defer { cgd_ImageDestroy(scratch) }
        cgd_ImageAlphaBlending(scratch, 1)
        let (left, top) = (Int32(-dx), Int32(-dy))
        _ = key.text.withCString { text in
            key.font.withCString { f in
                cgd_ImageStringFT(scratch, &brect, 0xFFFFFF, f, key.size, radians, left, top, text)
            }
        }
        var coverage = [UInt8](repeating: 0, count: width * height)
        let w = width
        for row in 0..<height {
            let pixels = scratch.pointee.tpixels[row]!
            for col in 0..<w { coverage[row * w + col] = UInt8((pixels[col] >> 16) & 0xFF) }
        }
        self.coverage = coverage
    }

    /// Blends the text in `color` with its origin at device pixel (`x`, `y`), clipped to the image.
    func blend(into image: gdImagePtr, x: Int, y: Int, color: RGB) {
        let imageWidth = Int(image.pointee.sx), imageHeight = Int(image.pointee.sy)
        let left = x + dx, top = y + dy
        for row in max(0, -top)..<max(0, min(height, imageHeight - top)) {
            let pixels = image.pointee.tpixels[top + row]!
            for col in max(0, -left)..<max(0, min(width, imageWidth - left)) {
                let c = Int(coverage[row * width + col])
                if c == 0 { continue }
                let p = Int(pixels[left + col])
                func mix(_ under: Int, _ over: Int) -> Int { (under * (255 - c) + over * c + 127) / 255 }
                let r = mix((p >> 16) & 0xFF, color.r), g = mix((p >> 8) & 0xFF, color.g), b = mix(p & 0xFF, color.b)
                pixels[left + col] = Int32((r << 16) | (g << 8) | b)
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
