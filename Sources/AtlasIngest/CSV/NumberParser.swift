#if canImport(Glibc)
import Glibc
#endif

/// Reads a score cell straight from its bytes, without making a String for it.
enum NumberParser {
    /// A finite number; NaN for a missing cell (empty, `nan`, `NaN`, `NAN`, `None`, after trimming
    /// spaces and tabs); `nil` for anything else (text, `inf`, trailing characters).
    static func score(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        var lo = 0
        var hi = field.count
        while lo < hi, field[lo] == 0x20 || field[lo] == 0x09 { lo += 1 }
        while hi > lo, field[hi - 1] == 0x20 || field[hi - 1] == 0x09 { hi -= 1 }
        let n = hi - lo
        if n == 0 { return .nan }
        if n <= 4, isMissingMarker(field, lo, hi) { return .nan }
        guard n < 64 else { return nil }
        // strtod needs a terminated string; numbers here are short, so a small stack copy does.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            for i in 0..<n { buffer[i] = CChar(bitPattern: field[lo + i]) }
            buffer[n] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == n, value.isFinite else { return nil }
            // strtod also reads hex floats; a score is decimal.
            if n > 1, field[lo] == UInt8(ascii: "0") || field[lo] == UInt8(ascii: "-") || field[lo] == UInt8(ascii: "+") {
                for i in lo..<hi where field[i] == UInt8(ascii: "x") || field[i] == UInt8(ascii: "X") { return nil }
            }
            return value
        }
    }

    /// `nan`, `NaN`, `NAN` or `None`.
    private static func isMissingMarker(_ f: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        switch hi - lo {
        case 3:
            let (a, b, c) = (f[lo] | 0x20, f[lo + 1] | 0x20, f[lo + 2] | 0x20)
            return a == UInt8(ascii: "n") && b == UInt8(ascii: "a") && c == UInt8(ascii: "n")
        case 4:
            return f[lo] == UInt8(ascii: "N") && f[lo + 1] == UInt8(ascii: "o") && f[lo + 2] == UInt8(ascii: "n") && f[lo + 3] == UInt8(ascii: "e")
        default:
            return false
        }
    }
}
