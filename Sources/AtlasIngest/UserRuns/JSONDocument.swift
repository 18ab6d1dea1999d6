import Foundation

/// A JSON value with the line it starts on, so that an error about a value can name both its line and
/// its JSON path. Objects keep their keys in file order.
public indirect enum JSONNode: Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONNode]), object([(String, JSONNode)])

    public subscript(key: String) -> JSONNode? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public var object: [(String, JSONNode)]? { if case .object(let p) = self { return p } else { return nil } }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var number: Double? { if case .number(let d) = self { return d } else { return nil } }
    public var array: [JSONNode]? { if case .array(let a) = self { return a } else { return nil } }

    /// What the value is, for messages: "a number", "a string", "an object"…
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A strict JSON reader (RFC 8259) over bytes that reports where it fails: `file:line:column`. Nesting
/// deeper than 64 is refused (a results file nests 4 deep), so no input can exhaust the stack.
public struct JSONDocument {
    public let root: JSONNode
    /// The 1-based line each object member starts on, by JSON path (`$.results.gsm8k`).
    let lines: [String: Int]

    static let maxDepth = 64

    /// A JSON path component for `key`: `.key` when plain, `["key"]` otherwise (`["acc,none"]`).
    public static func member(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
        return plain ? path + "." + key : path + "[\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
    }

    public init(bytes: [UInt8], file: String) throws(IngestError) {
        var p = Parser(bytes: bytes, file: file)
        p.skipSpace()
        if p.i == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3 }
        let value = try p.value(path: "$", depth: 0)
        p.skipSpace()
        if p.i < bytes.count { throw p.fail("text after the JSON value; expected the end of the file") }
        root = value
        lines = p.lines
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var i = 0
        var line = 1
        var lineStart = 0
        var lines: [String: Int] = [:]

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func fail(_ message: String) -> IngestError {
            IngestError(file: file, line: line, message: "column \(i - lineStart + 1): " + message)
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1; lineStart = i
                default: return
                }
            }
        }

        mutating func value(path: String, depth: Int) throws(IngestError) -> JSONNode {
            guard depth < JSONDocument.maxDepth else { throw fail("nested more than \(JSONDocument.maxDepth) deep at \(path)") }
            skipSpace()
            guard i < bytes.count else { throw fail("the file ends where a value was expected (at \(path)); it looks truncated") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(String, JSONNode)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted member name in the object at \(path)") }
                    let keyLine = line
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after the member name \"\(IngestError.excerpt(key))\"") }
                    i += 1
                    let childPath = JSONDocument.member(path, key)
                    lines[childPath] = keyLine
                    pairs.append((key, try value(path: childPath, depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw fail("the file ends inside the object at \(path); it looks truncated") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                    throw fail("expected ',' or '}' in the object at \(path)")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONNode] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(try value(path: path + "[\(items.count)]", depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw fail("the file ends inside the array at \(path); it looks truncated") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw fail("expected ',' or ']' in the array at \(path)")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            // Python's json module writes NaN and Infinity; lm-eval does for an undefined stderr.
            case UInt8(ascii: "N"): return try literal("NaN", .number(.nan))
            case UInt8(ascii: "I"): return try literal("Infinity", .number(.infinity))
            default:
                return .number(try number(path: path))
            }
        }

        mutating func literal(_ word: String, _ result: JSONNode) throws(IngestError) -> JSONNode {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("expected a JSON value; found '\(IngestError.excerpt(String(decoding: bytes[i..<min(bytes.count, i + 12)], as: UTF8.self)))'") }
            i += w.count
            return result
        }

        mutating func number(path: String) throws(IngestError) -> Double {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
                i += 1
                if i + 8 <= bytes.count, Array(bytes[i..<i + 8]) == Array("Infinity".utf8) { i += 8; return -.infinity }
            }
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard !text.isEmpty, i - start <= 64, let d = Double(text), text.first != "+", !text.hasPrefix("."), !text.hasPrefix("-.") else {
                i = start
                throw fail("expected a JSON value at \(path); found '\(IngestError.excerpt(String(decoding: bytes[start..<min(bytes.count, start + 12)], as: UTF8.self)))'")
            }
            return d
        }

        mutating func string() throws(IngestError) -> String {
            i += 1 // the opening quote
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "\""):
                    i += 1
                    guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string holds bytes that are not UTF-8") }
                    return s
                case UInt8(ascii: "\\"):
                    guard i + 1 < bytes.count else { throw fail("the file ends inside a string") }
                    let e = bytes[i + 1]
                    i += 2
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800...0xDBFF).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw fail("a \\u escape pairs a high surrogate with no low one") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard scalar != 0, let u = Unicode.Scalar(scalar) else { throw fail("a \\u escape is not a character (NUL or a lone surrogate)") }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default: throw fail("'\\\(Character(Unicode.Scalar(e)))' is not a JSON escape")
                    }
                case 0x00..<0x20:
                    throw fail("a string holds a control character (a raw line break or NUL); expected it escaped")
                default:
                    out.append(c)
                    i += 1
                }
            }
            throw fail("a string is never closed; the file looks truncated")
        }

        mutating func hex4() throws(IngestError) -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { throw fail("a \\u escape needs four hex digits") }
            i += 4
            return v
        }
    }
}
