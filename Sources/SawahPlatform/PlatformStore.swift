import SawahSQLite
import SawahTraceability
import Synchronization

/// What the reference platform has accepted, in its own SQLite file: events by `eventID`,
/// certificates by id, capture jobs, and counters of what it refused.
public final class PlatformStore: Sendable {
    private let db: Mutex<SQLiteConnection>

    public init(path: String) throws {
        let connection = try SQLiteConnection(path: path)
        connection.setBusyTimeout(milliseconds: 5_000)
        _ = try connection.scalarText("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = NORMAL")
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS events (
                event_id TEXT PRIMARY KEY, capture_id TEXT NOT NULL, event TEXT NOT NULL, received_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS captures (
                id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, finish_at INTEGER NOT NULL, success INTEGER NOT NULL,
                behaviour TEXT NOT NULL, errors TEXT NOT NULL, events INTEGER NOT NULL, bytes INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS certificates (
                certificate_id TEXT PRIMARY KEY, chain TEXT NOT NULL, number INTEGER NOT NULL, jws TEXT NOT NULL,
                epcis BLOB NOT NULL, raw_series BLOB NOT NULL, linked INTEGER NOT NULL, received_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS certificates_by_chain ON certificates (chain, number);
            CREATE TABLE IF NOT EXISTS held_certificates (
                certificate_id TEXT NOT NULL, chain TEXT NOT NULL, number INTEGER NOT NULL, jws TEXT NOT NULL,
                epcis BLOB NOT NULL, raw_series BLOB NOT NULL, digest TEXT NOT NULL, received_at INTEGER NOT NULL,
                PRIMARY KEY (certificate_id, digest)
            );
            CREATE INDEX IF NOT EXISTS held_by_chain ON held_certificates (chain);
            CREATE TABLE IF NOT EXISTS derived_certificates (
                certificate_id TEXT PRIMARY KEY, jws TEXT NOT NULL, epcis BLOB NOT NULL, series BLOB NOT NULL, digest TEXT NOT NULL,
                received_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS claims (
                claim_id TEXT PRIMARY KEY, chain TEXT NOT NULL, jws TEXT NOT NULL, evidence BLOB NOT NULL, prefill BLOB,
                digest TEXT NOT NULL, received_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            """)
        db = Mutex(connection)
    }

    /// Runs `body` with the connection, one caller at a time.
    func with<T: Sendable>(_ body: (inout SQLiteConnection) throws -> T) throws -> T {
        try db.withLock { connection in try body(&connection) }
    }

    func bump(_ name: String, by amount: Int64 = 1, in connection: SQLiteConnection) throws {
        let statement = try connection.prepare(
            """
            INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
            """)
        try statement.bind(name, at: 1)
        try statement.bind(amount, at: 2)
        try statement.step()
    }

    public func bump(_ name: String) {
        _ = try? with { connection in try bump(name, in: connection) }
    }

    /// The figures `GET /stats` shows: totals and refusals.
    public func statistics() throws -> [String: Int64] {
        try with { connection in
            var figures: [String: Int64] = [
                "events": try connection.scalarInt("SELECT COUNT(*) FROM events") ?? 0,
                "captures": try connection.scalarInt("SELECT COUNT(*) FROM captures") ?? 0,
                "max_events_per_capture": try connection.scalarInt("SELECT COALESCE(MAX(events), 0) FROM captures") ?? 0,
                "certificates": try connection.scalarInt("SELECT COUNT(*) FROM certificates") ?? 0,
                "held_certificates": try connection.scalarInt("SELECT COUNT(*) FROM held_certificates") ?? 0,
                "claims": try connection.scalarInt("SELECT COUNT(*) FROM claims") ?? 0,
                "derived_certificates": try connection.scalarInt("SELECT COUNT(*) FROM derived_certificates") ?? 0
            ]
            let counters = try connection.prepare("SELECT name, value FROM counters")
            while try counters.step() { figures[counters.text(0)] = counters.int64(1) }
            return figures
        }
    }
}
