import AtlasDomain

/// Every URL the site links to, built in one place so that served pages and written pages agree.
///
/// The server links from the root ("/models/x/"). A written site links relatively, from the page's own
/// folder ("../../models/x/index.html"), so that it works under any sub-path and from `file://`, where a
/// folder does not open its `index.html`.
public struct Links: Sendable {
    /// The prefix that leads from the current document to the site's root: "/" when served.
    public var root = "/"
    /// Appended to links to folders: "" when served, "index.html" when written.
    public var index = ""
    /// True for a written (static) site: the catalog and compare pages then work in the browser.
    public var written = false

    public init(root: String = "/", index: String = "", written: Bool = false) {
        self.root = root
        self.index = index
        self.written = written
    }

    /// Relative links for a document written at `path` (a site path such as "/models/x/" or "/api/v1/models.json").
    public static func relative(from path: String) -> Links {
        let depth = max(0, path.utf8.filter { $0 == UInt8(ascii: "/") }.count - 1)
        return Links(root: String(repeating: "../", count: depth), index: "index.html", written: true)
    }

    /// The link to `route` from the document being rendered.
    public func url(_ route: Route) -> String {
        root + route.path.dropFirst() + (route.isFolder ? index : "")
    }

    var home: String { url(.home) }
    var models: String { url(.catalog) }
    var compare: String { url(.compare) }
    func model(_ id: String) -> String { url(.model(id)) }
    func modelJSON(_ id: String) -> String { url(.api(.model(id))) }
    func modelChart(_ id: String, _ file: Route.ChartFile) -> String { url(.modelChart(id, file)) }
    var bases: String { url(.bases) }
    func base(_ id: String) -> String { url(.base(id)) }
    var datasets: String { url(.datasets) }
    func dataset(_ id: String) -> String { url(.dataset(id)) }
    var benchmarks: String { url(.benchmarks) }
    func benchmark(_ id: String) -> String { url(.benchmark(id)) }
    var figures: String { url(.figures) }
    func figure(_ name: String) -> String { url(.figure(name)) }
    func figureFile(_ name: String, _ file: Route.ChartFile) -> String { url(.figureFile(name, file)) }
    var claims: String { url(.claims) }
    var downloads: String { url(.downloads) }
    func download(_ file: String) -> String { url(.download(file)) }
    /// The folder of `Public/`, which templates append file names to.
    var asset: String { root + "public/" }
    /// An analysis document; one analysed per method has one document per method, at `<name>/<method>.json`.
    func analysis(_ name: String, method: String?) -> String {
        url(.api(method.flatMap(Method.init(rawValue:)).map { .analysisByMethod(name, $0) } ?? .analysis(name)))
    }
    func api(_ api: Route.API) -> String { url(.api(api)) }

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
    public static func query(_ pairs: [(String, String)]) -> String {
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
