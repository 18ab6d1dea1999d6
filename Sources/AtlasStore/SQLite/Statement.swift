import CSQLite

/// A prepared statement. It owns the `sqlite3_stmt*` and finalizes it in `deinit`.
///
/// Parameters are bound by 1-based index. `step()` returns `true` while a row is available.
public final class Statement {
    let handle: OpaquePointer
    let sql: String
    // Keeps the connection alive for as long as the statement exists.
    private let connection: Connection

    init(connection: Connection, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw connection.lastError(sql: sql)
        }
        self.handle = stmt
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    public func bind(_ index: Int32, _ value: Int?) throws {
        let rc = value.map { sqlite3_bind_int64(handle, index, Int64($0)) } ?? sqlite3_bind_null(handle, index)
        try check(rc)
    }

    /// Binds a real; `nil` and NaN are both bound as NULL (a missing value, never zero).
    public func bind(_ index: Int32, _ value: Double?) throws {
        let rc: Int32
        if let value, !value.isNaN { rc = sqlite3_bind_double(handle, index, value) } else { rc = sqlite3_bind_null(handle, index) }
        try check(rc)
    }

    public func bind(_ index: Int32, _ value: String?) throws {
        let rc: Int32
        if var value {
            // Bound with its byte length, not as a C string: text is stored whole, even past a NUL.
            rc = value.withUTF8 { utf8 in
                guard let base = utf8.baseAddress, utf8.count > 0 else { return sqlite3_bind_text(handle, index, "", 0, csqlite_transient()) }
                return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(clamping: utf8.count), csqlite_transient())
                }
            }
        } else {
            rc = sqlite3_bind_null(handle, index)
        }
        try check(rc)
    }

    /// Binds each value in order, starting at parameter 1.
    public func bind(all values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: try check(sqlite3_bind_null(handle, index))
            case .integer(let v): try bind(index, v)
            case .real(let v): try bind(index, v)
            case .text(let v): try bind(index, v)
            }
        }
    }

    /// Advances to the next row; `false` when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.lastError(sql: sql)
        }
    }

    /// Runs a statement that returns no rows, then resets it for reuse.
    public func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    public func optionalInt(_ column: Int32) -> Int? {
        isNull(column) ? nil : int(column)
    }

    public func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    public func optionalDouble(_ column: Int32) -> Double? {
        isNull(column) ? nil : double(column)
    }

    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        // By its byte count: a stored NUL does not cut the value short.
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func optionalString(_ column: Int32) -> String? {
        isNull(column) ? nil : string(column)
    }

    public func bool(_ column: Int32) -> Bool {
        sqlite3_column_int(handle, column) != 0
    }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw connection.lastError(sql: sql) }
    }
}

/// A value to bind when the parameter list is built at run time.
public enum SQLValue: Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
}
