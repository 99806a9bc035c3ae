import CSQLite

/// An error reported by SQLite, with the result code, SQLite's own message and the statement
/// (if any) that failed, so a log line says what went wrong and where.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary or extended SQLite result code (for example 5 for `SQLITE_BUSY`).
    public let code: Int32
    /// SQLite's explanation of the failure.
    public let message: String
    /// The SQL being prepared or run, when there was one.
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// True when the database file is full or the disk has no space left (`SQLITE_FULL`).
    public var isDiskFull: Bool { code & 0xff == SQLITE_FULL }

    /// True when a constraint (for example a unique index) rejected a row.
    public var isConstraint: Bool { code & 0xff == SQLITE_CONSTRAINT }

    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        if let sql { return "SQLite error \(code) (\(name)): \(message) [in: \(sql)]" }
        return "SQLite error \(code) (\(name)): \(message)"
    }
}

extension SQLiteError {
    /// Errno-style conversion lives here only: every wrapper call funnels a result code through it.
    static func check(_ rc: Int32, _ db: OpaquePointer?, sql: String? = nil) throws {
        guard rc != SQLITE_OK else { return }
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        throw SQLiteError(code: rc, message: message, sql: sql)
    }
}
