import AtlasDeflate
import CGD
import Foundation

/// Encodes a libgd true-colour image as an 8-bit PNG: indexed when it has at most 256 colours, RGB otherwise.
///
/// libgd's own encoder goes through libpng, whose adaptive filtering tries every filter on every row; with
/// zlib that was half of all chart drawing time. Charts are large flat areas, so one cheap rule does as
/// well: a row identical to the one above uses the Up filter (all zeros), any other row uses Sub (runs of
/// one colour become zeros).
///
/// Compressing the filtered rows is most of the cost, and it grows with their size. The real data's 206
/// charts at 1× and 2× are 820 MB of RGB rows; 130 of the 206 use at most 256 colours (the line and bar
/// charts: flat fills and antialiased text over few backgrounds), and indexed they take a third of the
/// bytes. The heatmaps and scatter plots, with colour scales, stay RGB. Compression is libdeflate's level 1:
/// on the RGB rows it took 2.71 s against zlib level 3's 3.07 s in one run, and wrote 20.5 MB, not 23.4 MB.
/// The palette lists colours in order of first appearance, so the output is deterministic.
enum PNGEncoder {
    static func encode(_ image: gdImagePtr, level: Int32 = 1) -> [UInt8] {
        let width = Int(image.pointee.sx), height = Int(image.pointee.sy)
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if let (palette, rows) = indexedRows(image) {
            header += [8, 3, 0, 0, 0] // 8-bit palette indices, deflate, adaptive filtering, no interlace
            png.appendChunk("IHDR", header)
            png.appendChunk("PLTE", palette)
            png.appendChunk("IDAT", deflate(rows, level: level))
        } else {
            header += [8, 2, 0, 0, 0] // 8 bits per channel, RGB
            png.appendChunk("IHDR", header)
            png.appendChunk("IDAT", deflate(rgbRows(image), level: level))
        }
        png.appendChunk("IEND", [])
        return png
    }

    /// Whether row `y` repeats the row above, so that it is written with the Up filter as zeros.
    private static func repeatsRowAbove(_ image: gdImagePtr, _ y: Int, _ width: Int) -> Bool {
        y > 0 && memcmp(image.pointee.tpixels[y]!, image.pointee.tpixels[y - 1]!, 4 * width) == 0
    }

    /// The filtered RGB rows: one pass over the pixels, straight from libgd's rows into the stream, into a
    /// buffer that is not zero-filled first (every byte is written). This loop and zero-filling were a third
    /// of a static build's chart time when written with bounds-checked arrays and a copy per row.
    private static func rgbRows(_ image: gdImagePtr) -> [UInt8] {
        let width = Int(image.pointee.sx), height = Int(image.pointee.sy)
        let stride = 1 + 3 * width
        return [UInt8](unsafeUninitializedCapacity: stride * height) { buffer, initialized in
            let out = buffer.baseAddress!
            for y in 0..<height {
                let pixels = image.pointee.tpixels[y]!
                let row = out + y * stride
                if repeatsRowAbove(image, y, width) {
                    row[0] = 2 // Up: every byte is zero
                    memset(row + 1, 0, 3 * width)
                    continue
                }
                row[0] = 1 // Sub: each byte minus the same channel of the pixel to its left
                var (r0, g0, b0): (UInt8, UInt8, UInt8) = (0, 0, 0)
                for x in 0..<width {
                    let p = pixels[x]
                    let r = UInt8(truncatingIfNeeded: p >> 16), g = UInt8(truncatingIfNeeded: p >> 8), b = UInt8(truncatingIfNeeded: p)
                    row[1 + 3 * x] = r &- r0
                    row[2 + 3 * x] = g &- g0
                    row[3 + 3 * x] = b &- b0
                    (r0, g0, b0) = (r, g, b)
                }
            }
            initialized = stride * height
        }
    }

    /// The PLTE chunk's data and the filtered rows of palette indices, or nil once a 257th colour shows up.
    ///
    /// Colours are looked up in a 1,024-slot open-addressing table, but only where a pixel differs from its
    /// left neighbour, which in a chart is rare.
    private static func indexedRows(_ image: gdImagePtr) -> (palette: [UInt8], rows: [UInt8])? {
        let width = Int(image.pointee.sx), height = Int(image.pointee.sy)
        let stride = 1 + width
        let slots = 1024
        var keys = [UInt32](repeating: 0, count: slots), indices = [Int16](repeating: -1, count: slots)
        var palette: [UInt8] = []
        palette.reserveCapacity(3 * 256)
        var overflow = false
        let rows = [UInt8](unsafeUninitializedCapacity: stride * height) { buffer, initialized in
            initialized = 0
            keys.withUnsafeMutableBufferPointer { keys in
                indices.withUnsafeMutableBufferPointer { indices in
                    let out = buffer.baseAddress!
                    var lastColour = UInt32.max, lastIndex: UInt8 = 0
                    rows: for y in 0..<height {
                        let pixels = image.pointee.tpixels[y]!
                        let row = out + y * stride
                        if repeatsRowAbove(image, y, width) {
                            row[0] = 2
                            memset(row + 1, 0, width)
                            continue
                        }
                        row[0] = 1
                        var left: UInt8 = 0
                        for x in 0..<width {
                            let colour = UInt32(truncatingIfNeeded: pixels[x]) & 0xFFFFFF
                            if colour != lastColour {
                                var slot = Int((colour &* 0x9E37_79B1) >> 22)
                                while indices[slot] >= 0 && keys[slot] != colour { slot = (slot + 1) & (slots - 1) }
                                if indices[slot] < 0 {
                                    guard palette.count < 3 * 256 else { overflow = true; break rows }
                                    keys[slot] = colour
                                    indices[slot] = Int16(palette.count / 3)
                                    palette += [UInt8(colour >> 16), UInt8((colour >> 8) & 0xFF), UInt8(colour & 0xFF)]
                                }
                                (lastColour, lastIndex) = (colour, UInt8(indices[slot]))
                            }
                            row[1 + x] = lastIndex &- left
                            left = lastIndex
                        }
                    }
                }
            }
            if !overflow { initialized = stride * height }
        }
        return overflow ? nil : (palette, rows)
    }

    /// A zlib stream (RFC 1950) of `bytes`.
    static func deflate(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        guard let out = bytes.withUnsafeBytes({ Deflate.compress($0, into: .zlib, level: level) }) else { fatalError("libdeflate: out of memory") }
        return out
    }
}

private extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    /// Length, type, data, and the CRC-32 of type and data.
    mutating func appendChunk(_ type: String, _ data: [UInt8]) {
        appendBigEndian(UInt32(data.count))
        let typed = Array(type.utf8) + data
        append(contentsOf: typed)
        appendBigEndian(typed.withUnsafeBytes { Deflate.crc32($0) })
    }
}
