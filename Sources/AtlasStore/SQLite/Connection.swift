import CSQLite

/// One open SQLite database handle. It owns the `sqlite3*` and closes it in `deinit`.
///
/// A connection is used from one thread at a time; it is deliberately not `Sendable`.
public final class Connection {
    /// How the file is opened. Read-only is enforced by SQLite at open time, not by convention.
    public enum Mode {
        case readOnly
        /// Creates the file if it does not exist.
        case readWriteCreate
    }

    let handle: OpaquePointer
    public let path: String

    public init(path: String, mode: Mode) throws {
        var db: OpaquePointer?
        let flags: Int32
        switch mode {
        case .readOnly: flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        case .readWriteCreate: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "cannot open '\(path)': \(message)")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    /// A read-only database held in memory: `bytes` (a whole database file) are copied to SQLite, which
    /// never reads the file again. `name` is how errors name it.
    public init(snapshot bytes: [UInt8], name: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "cannot open '\(name)': out of memory")
        }
        guard bytes.count >= 100 else {
            sqlite3_close_v2(db)
            throw SQLiteError(code: SQLITE_NOTADB, message: "cannot open '\(name)': \(bytes.count) bytes are not an SQLite database")
        }
        // Zeroed slack past the end: SQLite may read a few bytes beyond a damaged image's last page.
        let slack = 4096
        guard let buffer = sqlite3_malloc64(sqlite3_uint64(bytes.count + slack)) else {
            sqlite3_close_v2(db)
            throw SQLiteError(code: SQLITE_NOMEM, message: "cannot open '\(name)': out of memory")
        }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        (buffer + bytes.count).initializeMemory(as: UInt8.self, repeating: 0, count: slack)
        // A file left in WAL mode (header bytes 18 and 19 are 2) cannot be read from memory: read it as a
        // rollback-journal file, which its pages already are once checkpointed.
        let header = buffer.assumingMemoryBound(to: UInt8.self)
        if header[18] == 2 && header[19] == 2 { header[18] = 1; header[19] = 1 }
        // SQLite owns the buffer from here on, and frees it on close (or now, on failure).
        let flags = UInt32(SQLITE_DESERIALIZE_READONLY) | UInt32(SQLITE_DESERIALIZE_FREEONCLOSE)
        let loaded = sqlite3_deserialize(db, "main", header, sqlite3_int64(bytes.count), sqlite3_int64(bytes.count + slack), flags)
        guard loaded == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(db))
            sqlite3_close_v2(db)
            throw SQLiteError(code: loaded, message: "cannot open '\(name)': \(message)")
        }
        handle = db
        path = name
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errmsg)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs `body` inside one transaction, committing if it returns and rolling back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func lastError(sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
