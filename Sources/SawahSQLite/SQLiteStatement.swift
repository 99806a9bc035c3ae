import CSQLite

/// A compiled statement. Bind parameters by 1-based index, `step()` through rows, `reset()` to
/// run it again; it stays compiled for the life of its connection, which is what keeps the
/// journal's hot insert path cheap.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// The connection is retained so the handle never outlives the database it belongs to.
    let connection: SQLiteConnection
    /// The SQL text, for error messages.
    public let sql: String

    init(connection: SQLiteConnection, sql: String) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        try SQLiteError.check(rc, connection.handle, sql: sql)
        guard let statement else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement", sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// SQLite's `SQLITE_TRANSIENT` macro does not reach Swift: it tells SQLite to copy the bytes.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public func bind(_ value: Int64, at index: Int32) throws {
        try SQLiteError.check(sqlite3_bind_int64(handle, index, value), connection.handle, sql: sql)
    }

    public func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    public func bind(_ value: Double, at index: Int32) throws {
        try SQLiteError.check(sqlite3_bind_double(handle, index, value), connection.handle, sql: sql)
    }

    /// Binds the whole string with its byte length: a NUL inside it is kept, where a length of
    /// -1 would cut the text at the first NUL and store less than was given.
    public func bind(_ value: String, at index: Int32) throws {
        let bytes = Array(value.utf8)
        // An empty array has no address, and a NULL pointer would bind SQL NULL, not ''.
        let rc =
            bytes.isEmpty
            ? sqlite3_bind_text(handle, index, "", 0, Self.transient)
            : bytes.withUnsafeBufferPointer { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { text in
                    sqlite3_bind_text64(handle, index, text.baseAddress, sqlite3_uint64(text.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        try SQLiteError.check(rc, connection.handle, sql: sql)
    }

    public func bind(_ bytes: [UInt8], at index: Int32) throws {
        let rc = bytes.withUnsafeBytes { raw in
            sqlite3_bind_blob64(handle, index, raw.baseAddress, sqlite3_uint64(raw.count), Self.transient)
        }
        try SQLiteError.check(rc, connection.handle, sql: sql)
    }

    public func bindNull(at index: Int32) throws {
        try SQLiteError.check(sqlite3_bind_null(handle, index), connection.handle, sql: sql)
    }

    /// Advances to the next row; returns false once the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            try SQLiteError.check(rc, connection.handle, sql: sql)
            return false
        }
    }

    /// Makes the statement ready to run again; bindings are kept.
    public func reset() {
        sqlite3_reset(handle)
    }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's text, all of its bytes (NULs included).
    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
