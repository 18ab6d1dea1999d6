/// A response body with everything HTTP needs to serve it: type, validators, caching, and a gzip variant.
///
/// Resources are immutable and built once (the data never changes while serving), so the validators and
/// the compressed body cost nothing per request. `response(to:)` applies the request's conditions:
/// `If-None-Match` and `If-Modified-Since` (304), `Range` (206, 416; with `If-Range`), `Accept-Encoding`
/// (gzip) and HEAD (no body). Every answer says `X-Content-Type-Options: nosniff`.
public final class HTTPResource: Sendable {
    public let status: Int
    public let contentType: String
    public let body: Bytes
    public let gzipBody: Bytes?
    /// A strong validator, quoted as sent (`"…"`).
    public let etag: String?
    /// Extra header fields: Cache-Control, Last-Modified, Content-Disposition, Link, Allow, …
    public let headers: [(name: String, value: String)]
    /// Header lines shared by every response for this resource (identity and gzip), pre-encoded.
    private let identityHead: [UInt8]
    private let gzipHead: [UInt8]?
    private let notModifiedHead: [UInt8]?
    /// The header lines a partial (206) answer shares with the full one, and the `Last-Modified` time.
    private let rangeCommon: String?
    private let lastModified: Int?
    /// Bytes held by the pre-encoded heads.
    let headBytes: Int

    /// - Parameter compress: build a gzip variant when the body is text-like and over 256 bytes, and
    ///   keep it only if it is smaller.
    public init(status: Int = 200, contentType: String, body: some Collection<UInt8>, etag: String? = nil,
                headers: [(name: String, value: String)] = [], compress: Bool = true) {
        self.status = status
        self.contentType = contentType
        self.body = Bytes(body)
        self.etag = etag
        self.headers = headers
        var gz: Bytes?
        if compress, self.body.count > 256, Self.isCompressible(contentType) {
            let raw = UnsafeRawBufferPointer(start: self.body.base, count: self.body.count)
            if let z = Gzip.compress(raw), z.count < self.body.count { gz = Bytes(z) }
        }
        gzipBody = gz
        var common = "Content-Type: \(contentType)\r\nX-Content-Type-Options: nosniff\r\n"
        if let etag { common += "ETag: \(etag)\r\n" }
        for h in headers { common += "\(h.name): \(h.value)\r\n" }
        if status == 200 {
            rangeCommon = common
            common += "Accept-Ranges: bytes\r\n"
        } else {
            rangeCommon = nil
        }
        lastModified = headers.first { $0.name.lowercased() == "last-modified" }.flatMap { HTTPDate.parse($0.value) }
        if gz != nil { common += "Vary: Accept-Encoding\r\n" }
        let statusLine = "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n"
        identityHead = Array((statusLine + common + "Content-Length: \(self.body.count)\r\n").utf8)
        gzipHead = gz.map { Array((statusLine + common + "Content-Encoding: gzip\r\nContent-Length: \($0.count)\r\n").utf8) }
        if let etag, (200..<300).contains(status) {
            var lines = "HTTP/1.1 304 Not Modified\r\nETag: \(etag)\r\n"
            for h in headers where ["cache-control", "last-modified", "vary", "link", "access-control-allow-origin",
                                    "access-control-expose-headers"].contains(h.name.lowercased()) {
                lines += "\(h.name): \(h.value)\r\n"
            }
            if gz != nil { lines += "Vary: Accept-Encoding\r\n" }
            notModifiedHead = Array(lines.utf8)
        } else {
            notModifiedHead = nil
        }
        headBytes = identityHead.count + (gzipHead?.count ?? 0) + (notModifiedHead?.count ?? 0) + (rangeCommon?.utf8.count ?? 0)
    }

    public convenience init(status: Int = 200, contentType: String, text: String, etag: String? = nil,
                            headers: [(name: String, value: String)] = []) {
        self.init(status: status, contentType: contentType, body: Array(text.utf8), etag: etag, headers: headers)
    }

    static func isCompressible(_ type: String) -> Bool {
        type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("application/javascript")
            || type.hasPrefix("image/svg") || type.hasPrefix("application/xml")
    }

    /// What to send for `request`: the head's lines (without Date, Connection and the blank line) and
    /// the body, if any.
    public func response(to request: HTTPRequest) -> (head: [UInt8], body: Bytes?, status: Int) {
        if let notModifiedHead, notModified(request) { return (notModifiedHead, nil, 304) }
        if let rangeCommon, let range = request.header("range"), rangeApplies(request) {
            switch ByteRange.parse(range, length: body.count) {
            case .satisfiable(let r):
                let head = "HTTP/1.1 206 Partial Content\r\n" + rangeCommon
                    + "Content-Range: bytes \(r.lowerBound)-\(r.upperBound - 1)/\(body.count)\r\nContent-Length: \(r.count)\r\n"
                return (Array(head.utf8), request.method == .head ? nil : body.slice(r), 206)
            case .unsatisfiable:
                let text = "The range is outside the \(body.count) bytes of this resource.\n"
                let head = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
                    + "Content-Range: bytes */\(body.count)\r\nContent-Length: \(text.utf8.count)\r\n"
                return (Array(head.utf8), request.method == .head ? nil : Bytes(text), 416)
            case .ignored:
                break
            }
        }
        let useGzip = gzipBody != nil && Self.acceptsGzip(request.header("accept-encoding"))
        let head = useGzip ? gzipHead! : identityHead
        let body = request.method == .head ? nil : (useGzip ? gzipBody : self.body)
        return (head, body, status)
    }

    /// Whether the client's copy is current: `If-None-Match` against the ETag, or, only without it,
    /// `If-Modified-Since` against `Last-Modified` (RFC 9110 §13.2.2).
    private func notModified(_ request: HTTPRequest) -> Bool {
        if let tags = request.header("if-none-match") { return etag.map { Self.matches(tags, $0) } ?? false }
        if let since = request.header("if-modified-since"), let lastModified, let date = HTTPDate.parse(since) {
            return lastModified <= date
        }
        return false
    }

    /// Whether a Range header is to be honoured: GET or HEAD, and `If-Range` (if sent) names this
    /// version by its strong ETag or its exact `Last-Modified` date.
    private func rangeApplies(_ request: HTTPRequest) -> Bool {
        guard let condition = request.header("if-range") else { return true }
        if condition.hasPrefix("\"") { return condition == etag }
        return lastModified != nil && HTTPDate.parse(condition) == lastModified
    }

    /// Weak comparison (RFC 9110 §13.1.2) of an If-None-Match list with our tag.
    static func matches(_ list: String, _ etag: String) -> Bool {
        let ours = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
        for item in list.split(separator: ",") {
            let t = item.trimmingSpaces()
            if t == "*" { return true }
            if (t.hasPrefix("W/") ? String(t.dropFirst(2)) : t) == ours { return true }
        }
        return false
    }

    /// Whether an Accept-Encoding value accepts gzip (q > 0 for gzip, x-gzip or *).
    static func acceptsGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        var star: Bool?
        for item in value.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";")
            let coding = parts.first.map { $0.trimmingSpaces() } ?? ""
            var q = 1.0
            for p in parts.dropFirst() {
                let kv = p.trimmingSpaces()
                if kv.hasPrefix("q=") { q = Double(kv.dropFirst(2)) ?? 0 }
            }
            if coding == "gzip" || coding == "x-gzip" { return q > 0 }
            if coding == "*" { star = q > 0 }
        }
        return star ?? false
    }
}

public enum HTTPStatus {
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 304: return "Not Modified"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 206: return "Partial Content"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 416: return "Range Not Satisfiable"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}

/// A `Range: bytes=…` request (RFC 9110 §14.1.2) against a body of known length. One range is served;
/// a list of several, a unit other than bytes, or malformed syntax is ignored (the whole body is sent).
enum ByteRange: Equatable {
    case satisfiable(Range<Int>)
    case unsatisfiable
    case ignored

    static func parse(_ value: String, length: Int) -> ByteRange {
        guard value.hasPrefix("bytes=") else { return .ignored }
        let spec = value.dropFirst(6).trimmingSpaces()
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .ignored }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        func number(_ s: Substring) -> Int?? {
            if s.isEmpty { return .some(nil) }
            guard s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            // Digits beyond Int's range mean "past any end": clamp rather than trap (leading zeros aside).
            let digits = s.drop { $0 == "0" }
            return .some(digits.isEmpty ? 0 : digits.count > 18 ? Int.max : Int(digits))
        }
        guard let start = number(first), let end = number(last) else { return .ignored }
        switch (start, end) {
        case (nil, nil):
            return .ignored
        case (nil, let suffix?): // the last `suffix` bytes
            guard suffix > 0, length > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, length - suffix)..<length)
        case (let s?, let e):
            if let e, e < s { return .ignored }
            guard s < length else { return .unsatisfiable }
            return .satisfiable(s..<(min(e ?? Int.max, length - 1) + 1))
        }
    }
}
