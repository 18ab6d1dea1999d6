/// An ingest failure a user can act on: where it is (file, line, column) and what was expected.
public struct IngestError: Error, CustomStringConvertible, Equatable {
    public let file: String
    /// 1-based physical line; `nil` when the problem concerns the whole file.
    public let line: Int?
    /// The column's header name (or its 1-based position when the header is unknown).
    public let column: String?
    public let message: String

    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column.map { Self.excerpt($0) }
        self.message = message
    }

    /// A value as an error quotes it: at most `limit` characters, with control characters (which could
    /// move a terminal's cursor or hide text) and invisible bidirectional controls written as `\u{…}`.
    public static func excerpt(_ value: String, limit: Int = 80) -> String {
        var out = ""
        var shown = 0
        for scalar in value.unicodeScalars {
            if shown == limit {
                return out + "… (\(value.unicodeScalars.count - limit) more characters)"
            }
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                out += "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            shown += 1
        }
        return out
    }

    /// `evaluation_result.csv:214: column 'epoch' is 'ten', expected an integer`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "column '\(column)': " }
        return text + message
    }
}
