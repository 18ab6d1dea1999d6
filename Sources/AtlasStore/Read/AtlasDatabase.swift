import Foundation
/// A database opened read-only, with typed queries. Not thread-safe: use one per thread.
///
/// The file is read whole into memory when opened, and never read again: whatever happens to the file
/// afterwards (rewritten, truncated, replaced, deleted), this object answers from one consistent snapshot,
/// and `fileBytes` are the bytes it answers from.
public final class AtlasDatabase {
    let connection: Connection
    public let path: String
    /// The database file as it was when opened.
    public let fileBytes: [UInt8]
    /// The largest database file opened (the release's is 1.4 MB).
    public static let maxFileBytes = 2 << 30
    /// Score columns in display order; loaded once.
    public let columns: [ScoreColumn]
    let columnPosition: [String: Int]
    /// The registries, read once at open: they never change while the file is open.
    public let bases: [BaseModel]
    public let datasets: [Dataset]
    private var index: RunIndex?

    public init(path: String) throws {
        let connection: Connection
        let bytes = try Self.readFile(path)
        do {
            connection = try Connection(snapshot: bytes, name: path)
            try connection.execute("PRAGMA query_only = 1")
        } catch let error as SQLiteError {
            throw StoreError.cannotOpen(path: path, reason: error.message)
        }
        self.connection = connection
        self.path = path
        fileBytes = bytes
        let version: String
        do {
            let stmt = try connection.prepare("SELECT value FROM meta WHERE key = 'schema_version'")
            version = try stmt.step() ? stmt.string(0) : "none"
        } catch {
            throw StoreError.wrongSchema(path: path, found: "no schema version")
        }
        guard version == String(Schema.version) else { throw StoreError.wrongSchema(path: path, found: "version \(version)") }
        let stmt = try connection.prepare("""
            SELECT id, source_name, benchmark, benchmark_name, display_name, shots, category, unit, scale_min, scale_max,
                   higher_is_better, is_main, registered, position FROM columns ORDER BY position
            """)
        var columns: [ScoreColumn] = []
        var positions: [String: Int] = [:]
        while try stmt.step() {
            columns.append(ScoreColumn(id: stmt.string(0), sourceName: stmt.string(1), benchmark: stmt.string(2),
                                       benchmarkName: stmt.string(3), displayName: stmt.string(4), shots: stmt.optionalInt(5),
                                       category: stmt.string(6), unit: ScoreColumn.Unit(rawValue: stmt.string(7)) ?? .unknown,
                                       scaleMin: stmt.optionalDouble(8), scaleMax: stmt.optionalDouble(9),
                                       higherIsBetter: stmt.bool(10), isMain: stmt.bool(11), registered: stmt.bool(12)))
            positions[stmt.string(0)] = stmt.int(13)
        }
        self.columns = columns
        self.columnPosition = positions
        self.bases = try Self.readBases(connection)
        self.datasets = try Self.readDatasets(connection)
    }

    /// The whole file, from one open descriptor; only a regular file, and at most `maxFileBytes`.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let missing = errno == ENOENT
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))
                                        + (missing ? "; make it with `sftatlas ingest evaluation_result.csv --db \(path)`, or leave out --db for the demo" : ""))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw StoreError.cannotOpen(path: path, reason: "it is not a regular file") }
        guard info.st_size > 0 else { throw StoreError.cannotOpen(path: path, reason: "the file is empty; expected an SQLite database written by ingest") }
        guard info.st_size <= maxFileBytes else {
            throw StoreError.cannotOpen(path: path, reason: "it is \(info.st_size) bytes; at most \(maxFileBytes) are read")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw StoreError.cannotOpen(path: path, reason: n == 0 ? "it shrank while being read" : String(cString: strerror(errno)))
            }
            filled += n
        }
        return bytes
    }

    public func provenance() throws -> [Provenance] {
        let stmt = try connection.prepare("SELECT file_name, sha256, rows, ingested_at, tool_version, synthetic FROM provenance ORDER BY position")
        var out: [Provenance] = []
        while try stmt.step() {
            out.append(Provenance(fileName: stmt.string(0), sha256: stmt.string(1), rows: stmt.int(2),
                                  ingestedAt: stmt.string(3), toolVersion: stmt.string(4), synthetic: stmt.bool(5)))
        }
        return out
    }

    /// Whether any of the data is the generated demo.
    public func isSynthetic() throws -> Bool {
        try provenance().contains { $0.synthetic }
    }

    private static func readBases(_ connection: Connection) throws -> [BaseModel] {
        let stmt = try connection.prepare("""
            SELECT id, source_name, display_name, family, language, parameters_b, context_length, repository,
                   in_main_grid, registered FROM bases ORDER BY position
            """)
        var out: [BaseModel] = []
        while try stmt.step() {
            out.append(BaseModel(id: stmt.string(0), sourceName: stmt.string(1), displayName: stmt.string(2),
                                 family: stmt.string(3), language: stmt.string(4), parametersBillions: stmt.optionalDouble(5),
                                 contextLength: stmt.optionalInt(6), repository: stmt.optionalString(7),
                                 inMainGrid: stmt.bool(8), registered: stmt.bool(9)))
        }
        return out
    }

    private static func readDatasets(_ connection: Connection) throws -> [Dataset] {
        let stmt = try connection.prepare("""
            SELECT id, source_name, display_name, kind, left_out, category, source_repository, source_samples,
                   mean_length, registered FROM datasets ORDER BY position
            """)
        var out: [Dataset] = []
        while try stmt.step() {
            out.append(Dataset(id: stmt.string(0), sourceName: stmt.string(1), displayName: stmt.string(2),
                               kind: Dataset.Kind(rawValue: stmt.string(3)) ?? .single, leftOut: stmt.optionalString(4),
                               category: stmt.string(5), sourceRepository: stmt.optionalString(6),
                               sourceSamples: stmt.optionalInt(7), meanLength: stmt.optionalDouble(8), registered: stmt.bool(9)))
        }
        return out
    }

    public func hyperparameters() throws -> [GridHyperparameters] {
        let stmt = try connection.prepare("""
            SELECT method, learning_rate, batch_size, weight_decay, epochs, prompt_template FROM grid_hyperparameters ORDER BY method
            """)
        var out: [GridHyperparameters] = []
        while try stmt.step() {
            guard let method = Method(rawValue: stmt.string(0)) else { continue }
            out.append(GridHyperparameters(method: method, learningRate: stmt.double(1), batchSize: stmt.int(2),
                                           weightDecay: stmt.double(3), epochs: stmt.int(4), promptTemplate: stmt.string(5)))
        }
        return out
    }

    public func gridCells() throws -> [GridCell] {
        let stmt = try connection.prepare("""
            SELECT study, base_id, dataset_id, method, epochs, samples, schedule, present, reason FROM grid_cells ORDER BY position
            """)
        var out: [GridCell] = []
        while try stmt.step() {
            let key = RunKey(baseID: stmt.string(1), datasetID: stmt.string(2), method: Method(rawValue: stmt.string(3)),
                             epochs: stmt.int(4), samples: stmt.int(5), schedule: Schedule(rawValue: stmt.string(6)))
            out.append(GridCell(study: stmt.string(0), key: key, present: stmt.bool(7), reason: stmt.optionalString(8)))
        }
        return out
    }

    /// The in-memory run index, loaded on first use.
    func runIndex() throws -> RunIndex {
        if let index { return index }
        let loaded = try RunIndex(connection: connection)
        index = loaded
        return loaded
    }

    /// The column with this id, if any.
    public func column(id: String) -> ScoreColumn? {
        columnPosition[id].map { columns[$0] }
    }

    static let runColumns = "r.position, r.base_id, r.dataset_id, r.method, r.epochs, r.samples, r.schedule, r.leave_one_out, r.source_file, r.source_line, r.source, r.label, r.id"

    /// Reads a run from a statement whose first columns are `runColumns`.
    static func run(from stmt: Statement) -> Run {
        let key = RunKey(baseID: stmt.string(1), datasetID: stmt.optionalString(2),
                         method: stmt.optionalString(3).flatMap(Method.init(rawValue:)), epochs: stmt.int(4),
                         samples: stmt.int(5), schedule: stmt.optionalString(6).flatMap(Schedule.init(rawValue:)))
        let source = stmt.optionalString(10)
        return Run(key: key, isLeaveOneOut: stmt.bool(7), sourceFile: stmt.string(8), sourceLine: stmt.int(9),
                   source: source, label: stmt.optionalString(11), id: source == nil ? nil : stmt.string(12))
    }
}
