/// A response body with everything HTTP needs to serve it: type, validators, caching, and a gzip variant.
///
/// Resources are immutable and built once (the data never changes while serving), so the validators and
/// the compressed body cost nothing per request. `response(to:)` applies the request's conditions:
/// `If-None-Match` (304), `Accept-Encoding` (gzip) and HEAD (no body).
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
        var common = "Content-Type: \(contentType)\r\n"
        if let etag { common += "ETag: \(etag)\r\n" }
        for h in headers { common += "\(h.name): \(h.value)\r\n" }
        if gz != nil { common += "Vary: Accept-Encoding\r\n" }
        let statusLine = "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n"
        identityHead = Array((statusLine + common + "Content-Length: \(self.body.count)\r\n").utf8)
        gzipHead = gz.map { Array((statusLine + common + "Content-Encoding: gzip\r\nContent-Length: \($0.count)\r\n").utf8) }
        if let etag, (200..<300).contains(status) {
            var lines = "HTTP/1.1 304 Not Modified\r\nETag: \(etag)\r\n"
            for h in headers where ["cache-control", "last-modified", "vary", "link"].contains(h.name.lowercased()) {
                lines += "\(h.name): \(h.value)\r\n"
            }
            if gz != nil { lines += "Vary: Accept-Encoding\r\n" }
            notModifiedHead = Array(lines.utf8)
        } else {
            notModifiedHead = nil
        }
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
    func response(to request: HTTPRequest) -> (head: [UInt8], body: Bytes?, status: Int) {
        if let notModifiedHead, let tags = request.header("if-none-match"), Self.matches(tags, etag!) {
            return (notModifiedHead, nil, 304)
        }
        let useGzip = gzipBody != nil && Self.acceptsGzip(request.header("accept-encoding"))
        let head = useGzip ? gzipHead! : identityHead
        let body = request.method == .head ? nil : (useGzip ? gzipBody : self.body)
        return (head, body, status)
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
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
