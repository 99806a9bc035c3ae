import SawahSQLite

/// Why the journal cannot be opened or used.
public enum JournalError: Error, CustomStringConvertible, Sendable {
    /// The file was written by a newer Sawah whose schema steps this build does not know.
    case newerSchema(file: String, migrations: [String])
    /// The journal lacks schema steps this build knows: sawahd (which owns the schema) has
    /// not opened it since an upgrade. The ledger never migrates; it waits for sawahd.
    case olderSchema(file: String, missing: [String])
    /// The journal's filesystem refuses writes (mounted read-only, or switched to read-only
    /// by the kernel after I/O errors); SQLite's own words are kept.
    case readOnlyFileSystem(file: String, SQLiteError)
    /// The journal was closed (its writer stopped) before this write could run.
    case closed
    /// `synchronous` did not take the value the durability setting needs.
    case durabilityNotApplied(file: String, wanted: Int64, got: Int64)
    /// An SQLite failure, with what the journal was doing.
    case sqlite(operation: String, SQLiteError)
    /// The caller's own work for a journal operation failed (building a certificate, say);
    /// nothing of the operation was written.
    case aborted(operation: String, because: any Error)

    public var description: String {
        switch self {
        case .newerSchema(let file, let migrations):
            "\(file): the journal has schema steps this sawah does not know (\(migrations.joined(separator: ", "))); it was written by a newer version"
        case .olderSchema(let file, let missing):
            "\(file): the journal lacks schema steps this sawah knows (\(missing.joined(separator: ", "))); sawahd brings it up to date when it starts"
        case .readOnlyFileSystem(let file, let error):
            "\(file): the filesystem holding the journal is read-only (a card the kernel switched to read-only after I/O errors: see `dmesg`, check it with fsck and remount it read-write); nothing can be stored (\(error))"
        case .closed:
            "journal: closed before the write could run; nothing was written"
        case .durabilityNotApplied(let file, let wanted, let got):
            "\(file): PRAGMA synchronous is \(got) after opening, but durability needs \(wanted)"
        case .sqlite(let operation, let error):
            "journal: \(operation): \(error)"
        case .aborted(let operation, let error):
            "journal: \(operation): \(error); nothing was written"
        }
    }
}

extension JournalError {
    /// The disk (or the file's quota) had no room for the write (`SQLITE_FULL`).
    public var isDiskFull: Bool {
        if case .sqlite(_, let error) = self { return error.isDiskFull }
        return false
    }

    /// Runs one journal operation and names it in any failure: an SQLite error as `.sqlite`,
    /// a journal error as it is, anything else (the caller's own work) as `.aborted`.
    static func during<T>(_ operation: String, _ body: () throws -> T) throws(JournalError) -> T {
        do {
            return try body()
        } catch {
            throw named(error, during: operation)
        }
    }

    /// The same for an operation the caller awaits.
    static func during<T>(_ operation: String, _ body: () async throws -> T) async throws(JournalError) -> T {
        do {
            return try await body()
        } catch {
            throw named(error, during: operation)
        }
    }

    private static func named(_ error: any Error, during operation: String) -> JournalError {
        switch error {
        case let error as JournalError: error
        case let error as SQLiteError: .sqlite(operation: operation, error)
        default: .aborted(operation: operation, because: error)
        }
    }
}
