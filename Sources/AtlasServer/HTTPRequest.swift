/// One parsed HTTP/1.x request head. Bodies are never accepted, so this is the whole request.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET", head = "HEAD"
    }

    public var method: Method
    /// The request target exactly as sent (for the access log).
    public var target: String
    /// The decoded, checked path: starts with "/", no "." or ".." segments, no NUL or backslash.
    public var path: String
    /// Decoded query parameters in the order sent; a key may repeat.
    public var query: [(name: String, value: String)]
    /// Header fields in the order sent, names lowercased.
    public var headers: [(name: String, value: String)]
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    /// Whether the connection stays open after the response (HTTP/1.1 unless "close"; 1.0 only with "keep-alive").
    public var keepAlive: Bool

    public init(method: Method, target: String, path: String, query: [(name: String, value: String)],
                headers: [(name: String, value: String)], minorVersion: Int, keepAlive: Bool) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.headers = headers
        self.minorVersion = minorVersion
        self.keepAlive = keepAlive
    }

    /// The first value of a header, by lowercase name.
    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    /// Every value of a query parameter.
    public func values(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.path == b.path && a.minorVersion == b.minorVersion
            && a.keepAlive == b.keepAlive && a.query.elementsEqual(b.query, by: ==) && a.headers.elementsEqual(b.headers, by: ==)
    }
}
