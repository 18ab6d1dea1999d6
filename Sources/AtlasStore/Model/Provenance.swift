/// Where a database's data came from: one entry per ingested file.
public struct Provenance: Equatable, Sendable {
    public var fileName: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// Data rows read from the file (the header excluded).
    public var rows: Int
    /// ISO 8601 UTC time of the ingest.
    public var ingestedAt: String
    public var toolVersion: String
    /// Whether the data is the generated demo rather than real results.
    public var synthetic: Bool

    public init(fileName: String, sha256: String, rows: Int, ingestedAt: String, toolVersion: String, synthetic: Bool) {
        self.fileName = fileName
        self.sha256 = sha256
        self.rows = rows
        self.ingestedAt = ingestedAt
        self.toolVersion = toolVersion
        self.synthetic = synthetic
    }
}
