/// URL-safe ids: lowercase ASCII letters, digits, `.` and `-`; every other run of characters becomes one `-`.
enum Slug {
    static func make(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            let c = Character(scalar)
            if scalar.isASCII, c.isLetter || c.isNumber || c == "." {
                if pendingDash, !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(contentsOf: c.lowercased())
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? "x" : out
    }
}
