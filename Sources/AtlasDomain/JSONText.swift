/// JSON text for the writers that build documents by hand (the site's `JSON`, the audit's document).
public enum JSONText {
    /// `s` as a JSON string: quotes, backslashes and control characters escaped, and `<`, `>`, `&`, U+2028
    /// and U+2029 too, so that a document can sit inside HTML or a script; the rest as it is (UTF-8).
    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escaping: append them whole. 0xE2 starts U+2028 and U+2029 in UTF-8.
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) else {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Escaped so a JSON document can sit inside HTML without closing a tag.
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
