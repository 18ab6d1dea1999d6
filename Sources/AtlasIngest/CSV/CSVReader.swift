/// A strict RFC 4180 reader over bytes that knows where every field starts.
///
/// Accepts a UTF-8 byte-order mark, LF or CRLF line endings, and quoted fields containing
/// commas, quotes (`""`) and line breaks. Rejects, with the line: an unterminated quote (a truncated
/// file) and text after a closing quote. A wholly empty line is skipped.
///
/// Also rejects, with the line and the field's position: a NUL byte, bytes that are not UTF-8, a field
/// longer than `maxFieldBytes`, and a record of more than `maxFields` fields.
///
/// Complexity: one pass over the bytes, and one more over each field that holds a byte past ASCII.
struct CSVReader {
    /// One record: where each field's bytes are, and the 1-based physical line on which each field starts.
    /// Plain fields are kept as byte ranges and decoded only when asked for; quoted fields are decoded
    /// as they are read (their `""` escapes removed).
    struct Record {
        fileprivate let bytes: [UInt8]
        fileprivate var spans: [Range<Int>] = []
        fileprivate var quoted: [Int: String] = [:]
        var lines: [Int] = []

        var count: Int { spans.count }
        /// The line on which the record starts.
        var line: Int { lines.first ?? 0 }

        func string(_ i: Int) -> String {
            if let text = quoted[i] { return text }
            let span = spans[i]
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[span]), as: UTF8.self) }
        }

        /// Calls `body` with the field's bytes (decoded text for a quoted field).
        func withBytes<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            if var text = quoted[i] { return text.withUTF8(body) }
            let span = spans[i]
            return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[span])) }
        }
    }

    enum Failure: Error, Equatable {
        /// A quoted field that starts at `line` is never closed.
        case unterminatedQuote(line: Int)
        /// Something other than `,` or a line break follows a closing quote.
        case textAfterQuote(line: Int)
        /// A field (1-based position `field`) that starts on `line` holds a NUL byte.
        case nul(line: Int, field: Int)
        /// A field holds bytes that are not UTF-8.
        case invalidUTF8(line: Int, field: Int)
        case fieldTooLong(line: Int, field: Int, limit: Int)
        case tooManyFields(line: Int, limit: Int)
    }

    /// The longest field accepted, in bytes (names in the release are under 30).
    var maxFieldBytes = 1_000
    /// The most fields one record may have.
    var maxFields = 512

    private let bytes: [UInt8]
    private var position: Int
    private var line = 1
    /// Whether the input ended without a final line break (a likely sign of truncation).
    private(set) var endsWithoutNewline = false

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    init(bytes: [UInt8]) {
        self.bytes = bytes
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        self.position = bytes.starts(with: bom) ? 3 : 0
        if let last = bytes.last { endsWithoutNewline = last != Self.lf && last != Self.cr }
    }

    /// The next record, or `nil` at the end of input.
    mutating func next() throws(Failure) -> Record? {
        // Skip empty lines.
        while position < bytes.count, bytes[position] == Self.lf || bytes[position] == Self.cr {
            consumeLineBreak()
        }
        guard position < bytes.count else { return nil }
        var record = Record(bytes: bytes)
        record.spans.reserveCapacity(40)
        record.lines.reserveCapacity(40)
        while true {
            let field = record.spans.count + 1, startLine = line
            guard field <= maxFields else { throw .tooManyFields(line: record.line, limit: maxFields) }
            record.lines.append(line)
            let atEnd: Bool
            if position < bytes.count, bytes[position] == Self.quote {
                let (raw, end) = try readQuoted(field: field)
                try check(raw[...], line: startLine, field: field)
                record.quoted[record.spans.count] = String(decoding: raw, as: UTF8.self)
                record.spans.append(0..<0)
                atEnd = end
            } else {
                let (span, end) = readPlain()
                try check(bytes[span], line: startLine, field: field)
                record.spans.append(span)
                atEnd = end
            }
            if atEnd { return record }
        }
    }

    /// Refuses a field that is too long, holds a NUL, or is not UTF-8.
    private func check(_ field: ArraySlice<UInt8>, line: Int, field position: Int) throws(Failure) {
        guard field.count <= maxFieldBytes else { throw .fieldTooLong(line: line, field: position, limit: maxFieldBytes) }
        var ascii = true
        for b in field {
            if b == 0 { throw .nul(line: line, field: position) }
            if b >= 0x80 { ascii = false }
        }
        if !ascii, field.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) == nil {
            throw .invalidUTF8(line: line, field: position)
        }
    }

    /// Reads an unquoted field's byte range; returns it and whether the record ended after it.
    private mutating func readPlain() -> (Range<Int>, Bool) {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if b == Self.comma {
                position += 1
                return (start..<position - 1, false)
            }
            if b == Self.lf || b == Self.cr {
                let end = position
                consumeLineBreak()
                return (start..<end, true)
            }
            position += 1
        }
        return (start..<position, true)
    }

    /// Reads a quoted field's bytes (escapes removed); returns them and whether the record ended after it.
    private mutating func readQuoted(field: Int) throws(Failure) -> ([UInt8], Bool) {
        let startLine = line
        position += 1 // opening quote
        var buffer = [UInt8]()
        var chunkStart = position
        while position < bytes.count {
            let b = bytes[position]
            if b == Self.quote {
                buffer.append(contentsOf: bytes[chunkStart..<position])
                if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                    buffer.append(Self.quote)
                    position += 2
                    chunkStart = position
                    continue
                }
                position += 1 // closing quote
                let field = buffer
                guard position < bytes.count else { return (field, true) }
                switch bytes[position] {
                case Self.comma:
                    position += 1
                    return (field, false)
                case Self.lf, Self.cr:
                    consumeLineBreak()
                    return (field, true)
                default:
                    throw .textAfterQuote(line: line)
                }
            }
            // A quoted field grows without a line break in sight: stop it at the field limit.
            if position - chunkStart + buffer.count > maxFieldBytes { throw .fieldTooLong(line: startLine, field: field, limit: maxFieldBytes) }
            if b == Self.lf { line += 1 } else if b == Self.cr, position + 1 >= bytes.count || bytes[position + 1] != Self.lf { line += 1 }
            position += 1
        }
        throw .unterminatedQuote(line: startLine)
    }

    /// Consumes LF, CRLF or a lone CR, counting one line.
    private mutating func consumeLineBreak() {
        if bytes[position] == Self.cr, position + 1 < bytes.count, bytes[position + 1] == Self.lf {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }
}
