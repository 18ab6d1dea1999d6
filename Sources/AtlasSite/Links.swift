/// Every URL the site links to, built in one place so that served pages and written pages agree.
/// `root` is "/" for the server.
struct Links {
    var root = "/"

    var home: String { root }
    var models: String { root + "models/" }
    func model(_ id: String) -> String { root + "models/\(Self.segment(id))/" }
    func modelJSON(_ id: String) -> String { root + "api/v1/models/\(Self.segment(id)).json" }
    func modelChart(_ id: String, scale: Int = 1) -> String { root + "models/\(Self.segment(id))/epochs\(scale == 2 ? "@2x" : "").png" }
    func modelChartCSV(_ id: String) -> String { root + "models/\(Self.segment(id))/epochs.csv" }
    var bases: String { root + "bases/" }
    func base(_ id: String) -> String { root + "bases/\(Self.segment(id))/" }
    var datasets: String { root + "datasets/" }
    func dataset(_ id: String) -> String { root + "datasets/\(Self.segment(id))/" }
    var benchmarks: String { root + "benchmarks/" }
    func benchmark(_ id: String) -> String { root + "benchmarks/\(Self.segment(id))/" }
    var figures: String { root + "figures/" }
    func figure(_ name: String) -> String { root + "figures/\(Self.segment(name))/" }
    func figurePNG(_ name: String, scale: Int = 1) -> String { root + "figures/\(Self.segment(name))\(scale == 2 ? "@2x" : "").png" }
    func figureCSV(_ name: String) -> String { root + "figures/\(Self.segment(name)).csv" }
    var claims: String { root + "claims/" }
    var downloads: String { root + "downloads/" }
    func download(_ file: String) -> String { root + "downloads/\(file)" }
    func analysis(_ name: String, method: String?) -> String {
        root + "api/v1/analysis/\(name).json" + (method.map { "?method=\($0)" } ?? "")
    }
    func api(_ name: String) -> String { root + "api/v1/\(name)" }

    /// A path segment: ids are URL-safe by construction, but anything else is percent-encoded.
    static func segment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "@"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// A query string from name–value pairs, percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }

    static func component(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
