/// A request target split into a checked path and decoded query parameters.
///
/// The path is percent-decoded once, and refused (400) when the decoded form could reach outside the
/// site or be read two ways: a "." or ".." segment (however encoded), an encoded slash or backslash, any
/// backslash, a NUL or other control byte, or bytes that are not UTF-8. Empty segments ("//") collapse.
struct RequestTarget: Equatable {
    var path: String
    var query: [(name: String, value: String)]

    static func == (a: RequestTarget, b: RequestTarget) -> Bool {
        a.path == b.path && a.query.elementsEqual(b.query, by: ==)
    }

    static func parse(_ target: String) -> Result<RequestTarget, HTTPError> {
        var raw = Substring(target)
        // Absolute form (a proxy-style request): keep the path and query.
        // The scheme is case-insensitive (RFC 3986 §3.1): "HTTPS://host/" is absolute form too.
        let scheme = raw.prefix(8).lowercased()
        if scheme.hasPrefix("http://") || scheme.hasPrefix("https://") {
            let afterScheme = raw[raw.index(raw.firstIndex(of: ":")!, offsetBy: 3)...]
            raw = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterScheme[$0...] } ?? "/"
            if raw.hasPrefix("?") { raw = "/" + raw }
        }
        guard raw.hasPrefix("/") else { return .failure(.badRequest("the request target must start with '/'")) }
        if let hash = raw.firstIndex(of: "#") { raw = raw[..<hash] }
        let pathPart: Substring, queryPart: Substring?
        if let q = raw.firstIndex(of: "?") {
            pathPart = raw[..<q]
            queryPart = raw[raw.index(after: q)...]
        } else {
            pathPart = raw
            queryPart = nil
        }
        var segments: [String] = []
        for encoded in pathPart.split(separator: "/", omittingEmptySubsequences: true) {
            let lower = encoded.lowercased()
            if lower.contains("%2f") || lower.contains("%5c") { return .failure(.badRequest("encoded slashes are not allowed in the path")) }
            guard let bytes = percentDecode(encoded, plusIsSpace: false) else { return .failure(.badRequest("malformed percent-encoding in the path")) }
            if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) {
                return .failure(.badRequest("control characters and backslashes are not allowed in the path"))
            }
            guard let segment = String(validating: bytes, as: UTF8.self) else { return .failure(.badRequest("the path is not UTF-8")) }
            if segment == "." || segment == ".." { return .failure(.badRequest("'.' and '..' segments are not allowed in the path")) }
            segments.append(segment)
        }
        var path = "/" + segments.joined(separator: "/")
        if pathPart.hasSuffix("/") && !segments.isEmpty { path += "/" }
        var query: [(name: String, value: String)] = []
        if let queryPart {
            for pair in queryPart.split(separator: "&", omittingEmptySubsequences: true) {
                let (k, v): (Substring, Substring)
                if let eq = pair.firstIndex(of: "=") { (k, v) = (pair[..<eq], pair[pair.index(after: eq)...]) } else { (k, v) = (pair, "") }
                guard let name = percentDecode(k, plusIsSpace: true).flatMap({ String(validating: $0, as: UTF8.self) }),
                      let value = percentDecode(v, plusIsSpace: true).flatMap({ String(validating: $0, as: UTF8.self) }),
                      !name.utf8.contains(0), !value.utf8.contains(0) else {
                    return .failure(.badRequest("malformed query parameter"))
                }
                query.append((name, value))
            }
        }
        return .success(RequestTarget(path: path, query: query))
    }

    /// Bytes of `s` with %XX decoded (and "+" as a space in queries); nil for a malformed escape.
    static func percentDecode(_ s: Substring, plusIsSpace: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "%") {
                guard let h = it.next().flatMap(hexValue), let l = it.next().flatMap(hexValue) else { return nil }
                out.append(h << 4 | l)
            } else if c == UInt8(ascii: "+") && plusIsSpace {
                out.append(0x20)
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
