/// Number formatting without `String(format:)` (about 1 µs a call on Linux, which adds up in big tables).
enum NumberText {
    /// Fixed `digits` decimals; "−" for negatives when `typographic`.
    static func fixed(_ x: Double, _ digits: Int, typographic: Bool = false) -> String {
        guard x.isFinite else { return "" }
        // Past 1e15 the digits below the point are not held anyway, and Int would trap near 9.2e18.
        guard abs(x) < 1e15 else { return typographic && x < 0 ? "−" + "\(-x)" : "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let negative = x < 0 && scaled > 0
        let whole = Int(scaled / scale)
        var text = String(whole)
        if digits > 0 {
            let fraction = String(Int(scaled - Double(whole) * scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return negative ? (typographic ? "−" : "-") + text : text
    }

    /// The shortest text that reads back as `x`.
    static func plain(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    static func signed(_ x: Double, _ digits: Int) -> String {
        let t = fixed(x, digits, typographic: true)
        return x > 0 && t != fixed(0, digits) ? "+" + t : t
    }

    /// A computed value rounded to 9 decimals, so that `24.03 - 0` prints as 24.03 and not with float
    /// noise: the rounded integer divided by 1e9 is the double nearest that decimal, whose shortest
    /// text is the decimal itself. Values beyond ±1e6 are left as they are (the integer would lose digits).
    static func tidy(_ x: Double) -> Double {
        guard x.isFinite, abs(x) < 1e6 else { return x }
        let t = (x * 1e9).rounded() / 1e9
        return t == 0 ? 0 : t
    }
}
