/// Parses request heads from the bytes received on a connection.
///
/// Pure and allocation-light: it looks at a buffer and says whether a complete head is there, how many
/// bytes it took, or which error status applies. It never reads past the head, so pipelined requests are
/// parsed one after another from the same buffer. Limits (RFC 9110/9112 statuses):
/// - a request line over `maxRequestLine` bytes: 414;
/// - a header section over `maxHeaderBytes` bytes or with over `maxHeaderFields` fields: 431;
/// - anything malformed: 400; a version other than 1.0 or 1.1: 505;
/// - a method other than GET or HEAD: 405; a request body (`Content-Length` > 0, `Transfer-Encoding`): 413.
public struct HTTPParser: Sendable {
    public var maxRequestLine = 8 * 1024
    public var maxHeaderBytes = 16 * 1024
    public var maxHeaderFields = 100

    public init() {}

    public enum Result: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A request head, and the number of bytes it took.
        case request(HTTPRequest, consumed: Int)
        /// The request cannot be served; the connection closes after this status is sent.
        case failure(HTTPError)
    }

    public func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        let b = bytes.bindMemory(to: UInt8.self)
        let n = b.count
        // The request line. Leading empty lines are allowed (RFC 9112 §2.2).
        var start = 0
        while start < n && (b[start] == 0x0D || b[start] == 0x0A) { start += 1 }
        guard let lineEnd = findLF(b, from: start, limit: min(n, start + maxRequestLine + 2)) else {
            return n - start > maxRequestLine ? .failure(.uriTooLong) : .incomplete
        }
        let requestLine = trimCR(b, start, lineEnd)
        guard requestLine.upperBound - requestLine.lowerBound <= maxRequestLine else { return .failure(.uriTooLong) }
        // The header section: lines up to an empty line.
        var headers: [(name: String, value: String)] = []
        var position = lineEnd + 1
        let headerStart = position
        while true {
            guard let end = findLF(b, from: position, limit: min(n, headerStart + maxHeaderBytes + 2)) else {
                return n - headerStart > maxHeaderBytes ? .failure(.headersTooLarge) : .incomplete
            }
            let line = trimCR(b, position, end)
            position = end + 1
            if line.isEmpty { break }
            guard position - headerStart <= maxHeaderBytes else { return .failure(.headersTooLarge) }
            guard headers.count < maxHeaderFields else { return .failure(.headersTooLarge) }
            guard let field = headerField(b, line) else { return .failure(.badRequest("malformed header field")) }
            headers.append(field)
        }
        return request(b, requestLine, headers: headers, consumed: position)
    }

    private func request(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, headers: [(name: String, value: String)],
                         consumed: Int) -> Result {
        // METHOD SP request-target SP HTTP-version, single spaces.
        let parts = split(b, line, on: 0x20)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return .failure(.badRequest("malformed request line")) }
        guard parts[0].allSatisfy({ isTokenChar(b[$0]) }) else { return .failure(.badRequest("malformed method")) }
        let version = String(decoding: UnsafeBufferPointer(rebasing: b[parts[2]]), as: UTF8.self)
        let minor: Int
        switch version {
        case "HTTP/1.1": minor = 1
        case "HTTP/1.0": minor = 0
        default:
            if version.hasPrefix("HTTP/"), version.count == 8, version.dropFirst(5).first?.isNumber == true {
                return .failure(.versionNotSupported)
            }
            return .failure(.badRequest("malformed HTTP version"))
        }
        let target = String(decoding: UnsafeBufferPointer(rebasing: b[parts[1]]), as: UTF8.self)
        guard parts[1].allSatisfy({ b[$0] > 0x20 && b[$0] < 0x7F }) else { return .failure(.badRequest("malformed request target")) }
        let methodName = String(decoding: UnsafeBufferPointer(rebasing: b[parts[0]]), as: UTF8.self)
        // Framing first: a body that is not read would be taken for the next request.
        let lengths = headers.filter { $0.name == "content-length" }.map(\.value)
        if headers.contains(where: { $0.name == "transfer-encoding" }) { return .failure(.bodyRefused) }
        if let length = lengths.first {
            guard Set(lengths).count == 1, !length.isEmpty, length.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return .failure(.badRequest("malformed Content-Length"))
            }
            if length.utf8.contains(where: { $0 != 0x30 }) { return .failure(.bodyRefused) }
        }
        guard let method = HTTPRequest.Method(rawValue: methodName) else { return .failure(.methodNotAllowed) }
        if minor == 1 && headers.filter({ $0.name == "host" }).count != 1 {
            return .failure(.badRequest("an HTTP/1.1 request needs exactly one Host header"))
        }
        let parsedTarget: RequestTarget
        switch RequestTarget.parse(target) {
        case .success(let t): parsedTarget = t
        case .failure(let error): return .failure(error)
        }
        let connection = headers.filter { $0.name == "connection" }.flatMap { $0.value.lowercased().split(separator: ",").map { $0.trimmingSpaces() } }
        let keepAlive = minor == 1 ? !connection.contains("close") : connection.contains("keep-alive")
        return .request(HTTPRequest(method: method, target: target, path: parsedTarget.path, query: parsedTarget.query,
                                    headers: headers, minorVersion: minor, keepAlive: keepAlive), consumed: consumed)
    }

    /// `name: value`, name a token with no space before the colon, value trimmed of spaces and tabs.
    private func headerField(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (name: String, value: String)? {
        guard let colon = line.first(where: { b[$0] == 0x3A }), colon > line.lowerBound else { return nil }
        guard (line.lowerBound..<colon).allSatisfy({ isTokenChar(b[$0]) }) else { return nil }
        var valueStart = colon + 1, valueEnd = line.upperBound
        while valueStart < valueEnd && (b[valueStart] == 0x20 || b[valueStart] == 0x09) { valueStart += 1 }
        while valueEnd > valueStart && (b[valueEnd - 1] == 0x20 || b[valueEnd - 1] == 0x09) { valueEnd -= 1 }
        // No control characters but tab in a value (NUL, bare CR and the like are refused).
        guard (valueStart..<valueEnd).allSatisfy({ b[$0] >= 0x20 && b[$0] != 0x7F || b[$0] == 0x09 }) else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[line.lowerBound..<colon]), as: UTF8.self).lowercased()
        let value = String(decoding: UnsafeBufferPointer(rebasing: b[valueStart..<valueEnd]), as: UTF8.self)
        return (name, value)
    }

    private func findLF(_ b: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int? {
        var i = from
        while i < limit {
            if b[i] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    /// The line `start..<lf` without a final CR.
    private func trimCR(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ lf: Int) -> Range<Int> {
        lf > start && b[lf - 1] == 0x0D ? start..<(lf - 1) : start..<lf
    }

    private func split(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, on byte: UInt8) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var s = r.lowerBound
        for i in r where b[i] == byte {
            out.append(s..<i)
            s = i + 1
        }
        out.append(s..<r.upperBound)
        return out
    }

    /// RFC 9110 tchar.
    private func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): return true
        default: return false
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// A request that cannot be served, as the status and a short reason for the body.
public enum HTTPError: Error, Equatable, Sendable {
    case badRequest(String)
    case uriTooLong
    case headersTooLarge
    case methodNotAllowed
    case bodyRefused
    case versionNotSupported

    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .uriTooLong: return 414
        case .headersTooLarge: return 431
        case .methodNotAllowed: return 405
        case .bodyRefused: return 413
        case .versionNotSupported: return 505
        }
    }

    public var message: String {
        switch self {
        case .badRequest(let why): return "Bad request: \(why)."
        case .uriTooLong: return "The request line is too long."
        case .headersTooLarge: return "The request's header fields are too large or too many."
        case .methodNotAllowed: return "Only GET and HEAD are served."
        case .bodyRefused: return "Request bodies are not accepted."
        case .versionNotSupported: return "Only HTTP/1.0 and HTTP/1.1 are served."
        }
    }
}
