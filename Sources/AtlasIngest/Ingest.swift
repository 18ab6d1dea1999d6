import AtlasAnalysis
import AtlasStore
import Foundation

/// Turns result files into a normalized `ResultSet`, and writes it as a database.
public struct Ingest {
    /// What an ingest did, for the summary line.
    public struct Summary: Equatable {
        public var rows: Int
        public var runs: Int
        public var fineTuned: Int
        public var bases: Int
        public var datasets: Int
        public var columns: Int
        public var warnings: [String]
        /// What each user score was mapped to, one line per source key.
        public var mapped: [String] = []
        /// Per user run: its id, its mean main-benchmark gain over its base and its rank among the release's runs of that base.
        public var userRuns: [String] = []
    }

    public static let toolVersion = "0.1.0"

    /// Receives progress lines for large inputs (a line every `progressEvery` rows).
    public var progress: (String) -> Void = { _ in }
    public var progressEvery = 20_000
    /// The ingest time written into provenance. Fixing it makes two ingests byte-identical.
    public var ingestedAt: Date = Date()
    /// Whether to compute the paper's analyses (the bulk of a small ingest's time; O(runs²) for the map).
    public var analyses = true
    /// The largest input file read, in bytes (the release is 254 KB).
    public var maxBytes = 512 << 20
    /// The most data rows one file may have (the release has 1,027).
    public var maxRows = 200_000
    /// Run manifests (`--runs`): a user's runs, read after the release files.
    public var runManifests: [String] = []
    /// A map file (`--map`) that overrides or extends the built-in score → column table.
    public var mapFile: String?
    /// Side tables (`--side`): perplexities and weight changes, each recognized by its header (`SideData`).
    public var sideTables: [String] = []

    public init() {}

    /// Reads and validates every file. Nothing is written.
    public func load(paths: [String]) throws(IngestError) -> (ResultSet, [String]) {
        let (r, w, _) = try load(sources: paths.map(Source.path), synthetic: false)
        return (r, w)
    }

    /// Validates in-memory files; `name` is how errors and provenance name each one.
    public func load(files: [(name: String, bytes: [UInt8])], synthetic: Bool) throws(IngestError) -> (ResultSet, [String]) {
        let (r, w, _) = try load(sources: files.map { Source.memory($0.name, $0.bytes) }, synthetic: synthetic)
        return (r, w)
    }

    /// Reads each source in turn, so that only one file's bytes are held at a time.
    private enum Source {
        case path(String)
        case memory(String, [UInt8])
    }

    private func load(sources: [Source], synthetic: Bool) throws(IngestError) -> (ResultSet, [String], [String]) {
        var merger = Merger()
        var provenance: [Provenance] = []
        let stamp = Self.iso8601(ingestedAt)
        for source in sources {
            let name: String, bytes: [UInt8]
            switch source {
            case .path(let path): (name, bytes) = (path, try FileInput.read(path, maxBytes: maxBytes))
            case .memory(let n, let b): (name, bytes) = (n, b)
            }
            let rows = try parse(bytes, name: name, into: &merger)
            provenance.append(Provenance(fileName: fileName(name), sha256: SHA256.hex(of: bytes), rows: rows,
                                         ingestedAt: stamp, toolVersion: Self.toolVersion, synthetic: synthetic))
        }
        let map = try mapFile.map { path throws(IngestError) in try ScoreMap(bytes: try FileInput.read(path, maxBytes: maxBytes), file: path) } ?? ScoreMap()
        var userWarnings: [String] = [], report: [String] = []
        for manifest in runManifests {
            let set = try UserRunSet(manifestPath: manifest, map: map, maxBytes: maxBytes, knownUnit: merger.unit(ofColumn:))
            try merger.add(set)
            userWarnings += set.warnings
            report += set.report
            let bytes = try FileInput.read(manifest, maxBytes: maxBytes)
            provenance.append(Provenance(fileName: fileName(manifest), sha256: SHA256.hex(of: bytes), rows: set.runs.count,
                                         ingestedAt: stamp, toolVersion: Self.toolVersion, synthetic: synthetic))
        }
        var results = merger.finish(provenance: provenance)
        let warnings = merger.warnings + userWarnings
        merger = Merger() // release the per-row storage before the analyses
        var side = SideData()
        for path in sideTables {
            let bytes = try FileInput.read(path, maxBytes: maxBytes)
            let rows = try side.read(bytes, file: path, results: results)
            results.provenance.append(Provenance(fileName: fileName(path), sha256: SHA256.hex(of: bytes), rows: rows,
                                                 ingestedAt: stamp, toolVersion: Self.toolVersion, synthetic: synthetic))
        }
        // The audit covers every run, a user's too; it is not one of the paper's analyses, and runs even
        // without them. The claims' sensitivity leaves out what it flags in the release.
        let audit = Audit.run(AuditInputBuilder.input(results))
        if analyses {
            do {
                // The release's own audit, so that a user's runs change neither the flags nor the claims.
                let releaseAudit = results.runs.contains { $0.isUser } ? Audit.run(AuditInputBuilder.input(results, releaseOnly: true)) : audit
                results.analyses = try AnalysisInput.documents(results, audit: releaseAudit, side: side)
            } catch {
                throw IngestError(file: provenance.first?.fileName ?? "", message: "the analyses could not be computed: \(error)")
            }
        }
        results.analyses.append(AuditInputBuilder.document(audit))
        return (results, warnings, report)
    }

    /// Loads the files and writes the database atomically. On any error the target is untouched.
    public func run(paths: [String], database: String) throws -> Summary {
        let started = Date()
        let (results, warnings, report) = try load(sources: paths.map(Source.path), synthetic: false)
        let loaded = Date()
        if results.runs.count >= progressEvery {
            progress("read and checked \(results.runs.count) runs in \(Self.seconds(loaded.timeIntervalSince(started))); writing \(database)")
        }
        try StoreWriter.write(results, to: database)
        if results.runs.count >= progressEvery {
            progress("wrote the database in \(Self.seconds(Date().timeIntervalSince(loaded)))")
        }
        var summary = Self.summary(results, warnings: warnings)
        summary.mapped = report
        summary.userRuns = UserRunReport.lines(results)
        return summary
    }

    public static func summary(_ r: ResultSet, warnings: [String]) -> Summary {
        let fineTuned = r.runs.filter { !$0.key.isBase }.count
        return Summary(rows: r.provenance.reduce(0) { $0 + $1.rows }, runs: r.runs.count, fineTuned: fineTuned,
                       bases: r.bases.count, datasets: r.datasets.count, columns: r.columns.count, warnings: warnings)
    }

    /// Parses one file into the merger; returns its number of data rows.
    private func parse(_ bytes: [UInt8], name: String, into merger: inout Merger) throws(IngestError) -> Int {
        var reader = CSVReader(bytes: bytes)
        let first: CSVReader.Record?
        do { first = try reader.next() } catch { throw Self.error(error, file: name, header: nil) }
        guard let header = first else {
            throw IngestError(file: name, line: 1, message: "the file is empty; expected a CSV header such as ',model_name,data_name,…,lora,epoch,data_size,lr_strategy,…'")
        }
        let names = (0..<header.count).map { MassiveSFTFormat.unguarded(header.string($0).trimmed) }
        guard MassiveSFTFormat.recognizes(names) else {
            let shown = names.prefix(6).joined(separator: ",")
            throw IngestError(file: name, line: header.line,
                              message: "unrecognized format: the header starts '\(IngestError.excerpt(shown))'; expected the massive-sft evaluation CSV, whose header has \(MassiveSFTFormat.requiredColumns.joined(separator: ", ")) and score columns such as math-0shot")
        }
        let format = try MassiveSFTFormat(header: names, file: name)
        let columnMap = try merger.register(columns: format.scoreColumns, file: name)
        let sourceFile = fileName(name)
        var rows = 0
        while true {
            let next: CSVReader.Record?
            do { next = try reader.next() } catch { throw Self.error(error, file: name, header: names) }
            guard let record = next else { break }
            if record.count != names.count {
                let atEnd = (try? { var copy = reader; return try copy.next() == nil }()) ?? false
                if atEnd, reader.endsWithoutNewline, record.count < names.count {
                    throw IngestError(file: name, line: record.lines.last,
                                      message: "the last row has \(record.count) of \(names.count) fields and the file ends mid-row; it looks truncated")
                }
                throw IngestError(file: name, line: record.line,
                                  message: "the row has \(record.count) fields; expected \(names.count), as in the header")
            }
            guard rows < maxRows else {
                throw IngestError(file: name, line: record.line, message: "the file has more than \(maxRows) data rows; expected at most that many (the release has 1,027)")
            }
            let row = try format.parse(record)
            try merger.add(row, file: name, sourceFile: sourceFile, columnMap: columnMap)
            rows += 1
            if rows % progressEvery == 0 { progress("\(name): \(rows) rows read") }
        }
        if rows == 0 {
            throw IngestError(file: name, line: header.line, message: "the file has a header but no data rows; expected at least one result row")
        }
        return rows
    }

    /// A reader failure as an error naming the line and, where one field is at fault, its column: the
    /// header's name for it once the header is read, its 1-based position before.
    private static func error(_ failure: CSVReader.Failure, file: String, header: [String]?) -> IngestError {
        func column(_ field: Int) -> String {
            if let header, field >= 1, field <= header.count, !header[field - 1].isEmpty { return header[field - 1] }
            return "#\(field)"
        }
        switch failure {
        case .unterminatedQuote(let line):
            return IngestError(file: file, line: line, message: "a quoted field opened on this line is never closed; the file looks truncated")
        case .textAfterQuote(let line):
            return IngestError(file: file, line: line, message: "text follows a closing quote; expected ',' or the end of the line")
        case let .nul(line, field):
            return IngestError(file: file, line: line, column: column(field), message: "holds a NUL byte; expected text without control bytes")
        case let .invalidUTF8(line, field):
            return IngestError(file: file, line: line, column: column(field), message: "holds bytes that are not UTF-8; expected a UTF-8 file (re-save it as UTF-8)")
        case let .fieldTooLong(line, field, limit):
            return IngestError(file: file, line: line, column: column(field), message: "is longer than \(limit) bytes; expected a name or a number")
        case let .tooManyFields(line, limit):
            return IngestError(file: file, line: line, message: "the row has more than \(limit) fields; expected at most \(limit) columns")
        }
    }

    static func seconds(_ t: Double) -> String {
        let ms = Int((t * 1000).rounded())
        return "\(ms / 1000).\(String(ms % 1000 + 1000).dropFirst()) s"
    }

    /// `2025-06-15T12:00:00Z`, computed with `gmtime_r` (Foundation's formatter loads ICU, which costs
    /// more than a small ingest).
    static func iso8601(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
