import CGD
import Foundation

/// A drawn chart: the PNG, a text alternative, and its data as CSV.
public struct Chart: Sendable {
    public var png: [UInt8]
    public var alt: String
    public var csv: String
}

/// What to draw: a chart kind with its data. Rendering is pure, so specs can be rendered on any thread.
public protocol ChartSpec: Sendable {
    /// The chart's title, drawn at its top: short enough for a heading.
    var title: String { get }
    func render(_ style: ChartStyle) -> Chart
    /// The chart's data as CSV, without drawing it.
    var csv: String { get }
}

/// Where the fonts are and how charts are sized.
public struct ChartStyle: Sendable {
    /// DejaVu Sans (regular); the bold face is looked for beside it.
    public var font: String
    /// 1 for normal, 2 for sharp display on high-density screens.
    public var scale: Int

    public init(font: String, scale: Int = 1) {
        self.font = font
        self.scale = scale
    }

    /// Finds DejaVu Sans in the usual places, or explains where it looked.
    public static func locateFont() throws -> String {
        let candidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
                          "/usr/local/share/fonts/DejaVuSans.ttf"]
        if let why = cgd_load() { throw ChartError.libgdUnavailable(String(cString: why)) }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            return path
        }
        throw ChartError.fontNotFound(searched: candidates)
    }
}

public enum ChartError: Error, CustomStringConvertible {
    case fontNotFound(searched: [String])
    case libgdUnavailable(String)

    public var description: String {
        switch self {
        case .fontNotFound(let paths):
            return "DejaVu Sans was not found (looked in \(paths.joined(separator: ", "))); install fonts-dejavu-core"
        case .libgdUnavailable(let why): return why
        }
    }
}

/// CSV (RFC 4180) cells and numbers, shared by the chart kinds.
public enum CSVText {
    /// One RFC 4180 text cell: quoted when needed, and prefixed with an apostrophe when a spreadsheet
    /// would run it as a formula (`=`, `+`, `-`, `@` first, and not a number).
    public static func cell(_ s: String) -> String {
        // Scanned as UTF-8 bytes: Character iteration (grapheme breaking) made this a tenth of a static
        // build's download time. Every byte tested is ASCII, so it cannot occur inside a multi-byte character.
        let first = s.utf8.first
        let formula = (first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@"))
            && Double(s) == nil
        let quoted = s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        let t = formula ? "'" + s : s
        return quoted ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
    }

    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "" }
        return String(v)
    }

    static func table(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// Short number labels: up to `digits` decimals, trailing zeros kept for alignment.
func label(_ v: Double, digits: Int = 2) -> String {
    guard v.isFinite else { return "" }
    let p = pow(10, Double(digits))
    let r = (v * p).rounded() / p
    var s = String(format: "%.\(digits)f", r)
    if s == "-0.00" || s == "-0.0" || s == "-0" { s.removeFirst() }
    return s
}
