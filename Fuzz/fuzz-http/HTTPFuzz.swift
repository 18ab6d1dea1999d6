// libFuzzer target for the request path: HTTP/1.1 parsing (as pipelining does it), then the site's router
// and pages with whatever path and query come out, then the resource's conditional and range handling.
// Built by Fuzz/run.sh with `-sanitize=fuzzer` and AddressSanitizer; without FUZZING it is a runner that
// replays the inputs named on its command line (a crash's reproducer, say).
//
// Two shapes of input, by the first byte:
// - even: raw bytes as a client sends them; every complete head is answered, then the next is parsed;
// - odd: a structured request: a path from the site's routes and up to eight query parameters, each
//   name and value drawn from the names the site knows, hostile integers (2^63, -1, 20 digits), valid
//   ids of the fixture, or raw bytes from the input.
// Properties: no crash or trap anywhere; `consumed` moves forward within the input; a parsed path has no
// dot segment, NUL or backslash; the site never answers 500; statuses are 200, 400 or 404 (and the
// resource's 206, 304 and 416).
import AtlasCharts
import AtlasIngest
import AtlasServer
import AtlasSite
import AtlasStore
import AtlasTestSupport
import Foundation

enum HTTPFuzz {
    static let site: Site = {
        let folder = Fixture.folder()
        let path = folder + "/atlas.sqlite"
        do {
            try StoreWriter.write(try Fixture.load(Fixture.small + Fixture.hostile).0, to: path)
            return try Site(db: try AtlasDatabase(path: path), assets: try Assets.locate(explicit: Fixture.repository),
                            style: ChartStyle(font: try ChartStyle.locateFont()))
        } catch {
            fatalError("fuzz-http: cannot build the fixture site: \(error)")
        }
    }()
    static let ids: [String] = site.respond(path: "/api/v1/models.csv", query: []).body
        .split(separator: 10).dropFirst().compactMap { $0.split(separator: 44).first.map { String(decoding: $0, as: UTF8.self) } }

    static let paths = ["/", "/models/", "/compare/", "/compare/chart.png", "/compare/chart@2x.png", "/api/v1/models.json",
                        "/api/v1/models.csv", "/api/v1/analysis/claims.json", "/api/v1/analysis/gain-matrix.json",
                        "/api/v1/analysis/gain-matrix/full.json", "/downloads/scores-long.csv", "/figures/", "/bases/",
                        "/api/v1/openapi.json", "/models/x/", "/figures/gain-matrix-full.png"]
    static let names = ["base", "dataset", "method", "epochs", "samples", "schedule", "sort", "order", "page", "limit", "offset",
                        "cols", "col", "ids", "x", ""]
    static let values = ["", "-1", "0", "1", "2", "50", "184467440737095518", "9223372036854775807", "9223372036854775808",
                         "-9223372036854775808", "99999999999999999999", "1e308", "nan", "asc", "desc", "full", "lora", "cosine",
                         "constant", "1000", "20000", "mbpp-4shot", "math-0shot,mbpp-4shot", "epochs", "none", "qwen2.5-7b", "..",
                         "%00", "a,b,c,d,e,f,g,h,i"]

    static func one(_ data: UnsafeBufferPointer<UInt8>) {
        guard let first = data.first else { return }
        if first & 1 == 0 { raw(UnsafeBufferPointer(rebasing: data.dropFirst())) } else { structured(Array(data.dropFirst())) }
    }

    static func raw(_ data: UnsafeBufferPointer<UInt8>) {
        var parser = HTTPParser()
        parser.maxRequestLine = 1024
        parser.maxHeaderBytes = 2048
        parser.maxHeaderFields = 16
        var offset = 0
        while offset < data.count {
            let buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(data)[offset...])
            guard case .request(let request, let consumed) = parser.parse(buffer) else { break }
            precondition(consumed > 0 && consumed <= data.count - offset, "consumed \(consumed) of \(data.count - offset) bytes")
            let segments = request.path.split(separator: "/")
            precondition(request.path.hasPrefix("/") && !segments.contains(".") && !segments.contains(".."), "path \(request.path)")
            precondition(!request.path.utf8.contains(0) && !request.path.contains("\\"), "NUL or backslash in \(request.path)")
            answer(path: request.path, query: request.query, request: request)
            offset += consumed
        }
    }

    static func structured(_ bytes: [UInt8]) {
        var it = bytes.makeIterator()
        func pick(_ list: [String]) -> String? {
            guard let b = it.next() else { return nil }
            if Int(b) < list.count * 2 { return list[Int(b) % list.count] }
            // Otherwise the next few bytes themselves, as text.
            var raw: [UInt8] = []
            for _ in 0..<(Int(b) % 12) { if let c = it.next() { raw.append(c) } }
            return String(decoding: raw, as: UTF8.self)
        }
        guard var path = pick(paths) else { return }
        if !path.hasPrefix("/") { path = "/" + path }
        if path == "/models/x/", let b = it.next(), !ids.isEmpty { path = "/models/\(ids[Int(b) % ids.count])/" }
        var query: [(name: String, value: String)] = []
        while query.count < 8, let name = pick(names), var value = pick(values) {
            if value == "ids", let b = it.next(), ids.count > 1 { value = ids[Int(b) % ids.count] + "," + ids[(Int(b) / 7) % ids.count] }
            query.append((name, value))
        }
        // Conditions and ranges for the resource: none, or one of these.
        let conditions = [("range", "bytes=0-15"), ("range", "bytes=-99999999999999999999"), ("range", "bytes=5-"), ("range", "bytes=9-3"),
                          ("if-range", "\"e\""), ("if-modified-since", "Tue, 01 Dec 2026 05:09:44 GMT"), ("if-none-match", "W/\"e\"")]
        var headers: [(name: String, value: String)] = []
        if let b = it.next(), Int(b) < conditions.count * 8 { headers.append(conditions[Int(b) % conditions.count]) }
        if let b = it.next(), Int(b) < conditions.count * 4 { headers.append(conditions[Int(b) % conditions.count]) }
        let request = HTTPRequest(method: .get, target: path, path: path, query: query, headers: headers, minorVersion: 1, keepAlive: true)
        answer(path: path, query: query, request: request)
    }

    static func answer(path: String, query: [(name: String, value: String)], request: HTTPRequest) {
        let response = site.respond(path: path, query: query)
        precondition(response.status != 500, "500 for \(path) \(query): \(String(decoding: response.body.prefix(400), as: UTF8.self))")
        precondition([200, 400, 404].contains(response.status), "status \(response.status) for \(path)")
        let resource = HTTPResource(status: response.status, contentType: response.contentType, body: response.body,
                                    etag: response.status == 200 ? "\"e\"" : nil,
                                    headers: response.headers + [("Last-Modified", "Tue, 01 Dec 2026 05:09:44 GMT")], compress: false)
        let (_, body, status) = resource.response(to: request)
        precondition([200, 206, 304, 400, 404, 416].contains(status), "resource status \(status)")
        if let body { precondition(body.count <= response.body.count || status == 416) }
    }
}

#if FUZZING
// SwiftPM links an executable's entry point as `<module>_main`; here it hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fuzz_http_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        if let data { HTTPFuzz.one(UnsafeBufferPointer(start: data, count: size)) }
        return 0
    }
}
#else
@main struct HTTPFuzzRunner {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes.withUnsafeBufferPointer { HTTPFuzz.one($0) }
            print("ok: \(path)")
        }
    }
}
#endif
