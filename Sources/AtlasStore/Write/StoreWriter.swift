import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a `ResultSet` as a new database file, atomically.
///
/// The data goes into a temporary file beside the target, which is closed, synced and then renamed over
/// the target. Any failure removes the temporary file and leaves an existing target untouched.
public enum StoreWriter {
    public static func write(_ results: ResultSet, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.cannotWrite(path: path, reason: "the folder '\(directory)' does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StoreError.cannotWrite(path: path, reason: "it is a directory")
        }
        let lock = try lockTarget(directory: directory, name: target.lastPathComponent, path: path)
        defer { close(lock) }
        removeStale(directory: directory, name: target.lastPathComponent)
        let temporary = directory + "/." + target.lastPathComponent + ".ingest-\(getpid()).tmp"
        unlink(temporary)
        do {
            try fill(results, path: temporary)
            try syncFile(temporary)
            guard rename(temporary, path) == 0 else {
                throw StoreError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            try? syncFile(directory)
        } catch {
            unlink(temporary)
            unlink(temporary + "-journal")
            throw error
        }
    }

    /// Takes the lock file `.<name>.lock` beside the target, so that two ingests cannot both write it
    /// (the last rename would win). The lock is released when the returned descriptor is closed, or
    /// when the process dies.
    private static func lockTarget(directory: String, name: String, path: String) throws -> Int32 {
        let lockPath = directory + "/." + name + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.cannotWrite(path: path, reason: "cannot open the lock file '\(lockPath)': \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let why = String(cString: strerror(errno))
            close(fd)
            throw StoreError.cannotWrite(path: path, reason: busy ? "another ingest is writing it now (it holds '\(lockPath)'); run this one when that one has finished"
                                                                  : "cannot lock '\(lockPath)': \(why)")
        }
        return fd
    }

    /// Removes the temporary files that ingests killed before they could clean up left beside the
    /// target: `.<name>.ingest-<pid>.tmp` (and its journal) whose process no longer exists.
    private static func removeStale(directory: String, name: String) {
        let prefix = "." + name + ".ingest-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let pid = Int32(rest[..<dot]), pid > 0, pid != getpid(),
                  rest[dot...] == ".tmp" || rest[dot...] == ".tmp-journal" else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + entry) }
        }
    }

    private static func fill(_ r: ResultSet, path: String) throws {
        let db = try Connection(path: path, mode: .readWriteCreate)
        // The file is private until renamed into place, so durability per statement buys nothing.
        try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;")
        try db.execute(Schema.create)
        try db.transaction {
            let meta = try db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)")
            for (k, v) in [("schema_version", String(Schema.version)), ("synthetic", r.provenance.contains { $0.synthetic } ? "1" : "0")] {
                try meta.bind(1, k); try meta.bind(2, v); try meta.run()
            }
            let prov = try db.prepare("INSERT INTO provenance VALUES (?, ?, ?, ?, ?, ?, ?)")
            for (i, p) in r.provenance.enumerated() {
                try prov.bind(all: [.integer(i), .text(p.fileName), .text(p.sha256), .integer(p.rows),
                                    .text(p.ingestedAt), .text(p.toolVersion), .integer(p.synthetic ? 1 : 0)])
                try prov.run()
            }
            let bases = try db.prepare("INSERT INTO bases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (i, b) in r.bases.enumerated() {
                try bases.bind(all: [.integer(i), .text(b.id), .text(b.sourceName), .text(b.displayName), .text(b.family),
                                     .text(b.language), b.parametersBillions.map(SQLValue.real) ?? .null,
                                     b.contextLength.map(SQLValue.integer) ?? .null, b.repository.map(SQLValue.text) ?? .null,
                                     .integer(b.inMainGrid ? 1 : 0), .integer(b.registered ? 1 : 0)])
                try bases.run()
            }
            let datasets = try db.prepare("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (i, d) in r.datasets.enumerated() {
                try datasets.bind(all: [.integer(i), .text(d.id), .text(d.sourceName), .text(d.displayName), .text(d.kind.rawValue),
                                        d.leftOut.map(SQLValue.text) ?? .null, .text(d.category),
                                        d.sourceRepository.map(SQLValue.text) ?? .null, d.sourceSamples.map(SQLValue.integer) ?? .null,
                                        d.meanLength.map(SQLValue.real) ?? .null, .integer(d.registered ? 1 : 0)])
                try datasets.run()
            }
            let columns = try db.prepare("INSERT INTO columns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (i, c) in r.columns.enumerated() {
                try columns.bind(all: [.integer(i), .text(c.id), .text(c.sourceName), .text(c.benchmark), .text(c.benchmarkName),
                                       .text(c.displayName), c.shots.map(SQLValue.integer) ?? .null, .text(c.category),
                                       .text(c.unit.rawValue), c.scaleMin.map(SQLValue.real) ?? .null,
                                       c.scaleMax.map(SQLValue.real) ?? .null, .integer(c.higherIsBetter ? 1 : 0),
                                       .integer(c.isMain ? 1 : 0), .integer(c.registered ? 1 : 0)])
                try columns.run()
            }
            try insertRuns(r, db: db)
            try insertScores(r, db: db)
            let analyses = try db.prepare("INSERT INTO analyses VALUES (?, ?, ?)")
            for a in r.analyses {
                try analyses.bind(all: [.text(a.name), .text(a.method ?? ""), .text(a.json)])
                try analyses.run()
            }
            let hyper = try db.prepare("INSERT INTO grid_hyperparameters VALUES (?, ?, ?, ?, ?, ?)")
            for h in r.hyperparameters {
                try hyper.bind(all: [.text(h.method.rawValue), .real(h.learningRate), .integer(h.batchSize),
                                     .real(h.weightDecay), .integer(h.epochs), .text(h.promptTemplate)])
                try hyper.run()
            }
            let cells = try db.prepare("INSERT INTO grid_cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (i, cell) in r.grid.enumerated() {
                let k = cell.key
                try cells.bind(all: [.integer(i), .text(cell.study), .text(k.id), .text(k.baseID), .text(k.datasetID ?? ""),
                                     .text(k.method?.rawValue ?? ""), .integer(k.epochs), .integer(k.samples),
                                     .text(k.schedule?.rawValue ?? ""), .integer(cell.present ? 1 : 0),
                                     cell.reason.map(SQLValue.text) ?? .null])
                try cells.run()
            }
        }
        // A normal rollback journal for readers; the file itself is complete.
        try db.execute("PRAGMA journal_mode = DELETE")
    }

    private static func insertRuns(_ r: ResultSet, db: Connection) throws {
        let runs = try db.prepare("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let basePos = Dictionary(uniqueKeysWithValues: r.bases.enumerated().map { ($1.id, $0) })
        let datasetPos = Dictionary(uniqueKeysWithValues: r.datasets.enumerated().map { ($1.id, $0) })
        for (i, run) in r.runs.enumerated() {
            let k = run.key
            try runs.bind(all: [.integer(i), .text(run.id), .text(k.baseID), .integer(basePos[k.baseID] ?? -1),
                                k.datasetID.map(SQLValue.text) ?? .null, k.datasetID.flatMap { datasetPos[$0] }.map(SQLValue.integer) ?? .null,
                                k.method.map { .text($0.rawValue) } ?? .null, .integer(k.epochs), .integer(k.samples),
                                k.schedule.map { .text($0.rawValue) } ?? .null, .integer(k.isBase ? 1 : 0),
                                .integer(run.isLeaveOneOut ? 1 : 0), .text(run.sourceFile), .integer(run.sourceLine),
                                run.source.map(SQLValue.text) ?? .null, run.label.map(SQLValue.text) ?? .null])
            try runs.run()
        }
        let sources = try db.prepare("INSERT INTO score_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for s in r.scoreSources {
            try sources.bind(all: [.integer(s.run), .integer(s.column), .text(s.tool), s.toolVersion.map(SQLValue.text) ?? .null, .text(s.file),
                                   .text(s.place), .text(s.task), .text(s.metric), s.shots.map(SQLValue.integer) ?? .null,
                                   s.configHash.map(SQLValue.text) ?? .null, .real(s.raw), .real(s.scale)])
            try sources.run()
        }
    }

    /// Writes values column by column, in key order, 100 rows per statement: far fewer statement
    /// executions than one per value, and every insert appends to the end of the table.
    private static func insertScores(_ r: ResultSet, db: Connection) throws {
        let batch = 100
        let many = try db.prepare("INSERT INTO scores (col, run, value) VALUES " + Array(repeating: "(?, ?, ?)", count: batch).joined(separator: ", "))
        let one = try db.prepare("INSERT INTO scores (col, run, value) VALUES (?, ?, ?)")
        let width = r.columns.count
        let values = r.scores
        let runs = r.runs.count
        for c in 0..<width {
            var run = 0
            while run + batch <= runs {
                for k in 0..<batch {
                    let base = Int32(3 * k)
                    try many.bind(base + 1, c)
                    try many.bind(base + 2, run + k)
                    try many.bind(base + 3, values[(run + k) * width + c])
                }
                try many.run()
                run += batch
            }
            while run < runs {
                try one.bind(1, c)
                try one.bind(2, run)
                try one.bind(3, values[run * width + c])
                try one.run()
                run += 1
            }
        }
    }

    private static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StoreError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case wrongSchema(path: String, found: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write the database '\(path)': \(reason)"
        case let .cannotOpen(path, reason): return "cannot open the database '\(path)': \(reason)"
        case let .wrongSchema(path, found):
            return "'\(path)' is not an SFT Atlas database of schema version \(Schema.version) (found \(found)); ingest it again"
        }
    }
}
