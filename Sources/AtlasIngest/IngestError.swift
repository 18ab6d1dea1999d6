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
        self.column = column
        self.message = message
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
