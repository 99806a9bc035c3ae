import SawahCore
import SawahSQLite
import Synchronization

/// The journal as sawah-uplink and the CLI see it: the deliveries table and nothing else.
///
/// It opens the file sawahd made, on a connection of its own, and never migrates it: sawahd
/// owns the schema, and a ledger opened on a journal whose schema is behind or ahead of this
/// build refuses (`olderSchema`, `newerSchema`) rather than change it. It prepares none of
/// the ingest writer's statements and loads no MQTT inbox, so opening it is cheap and a
/// process holding it can never take part in ingest. Its writes are short transactions on the
/// same WAL; SQLite's lock (with a busy timeout) orders them against sawahd's.
///
/// `Sendable` without `@unchecked`: the connection is reachable only inside its mutex.
public final class DeliveryLedger: Sendable {
    private let db: Mutex<SQLiteConnection>
    public let path: String

    /// Opens an existing journal's deliveries with the durability the config asks for.
    public init(path: String, durability: GatewayConfiguration.Durability) throws(JournalError) {
        self.path = path
        let opened = try JournalError.during("open the delivery ledger of \(path)") {
            let connection = try SQLiteConnection(path: path, mode: .readWrite(create: false))
            connection.setBusyTimeout(milliseconds: 10_000)
            try JournalMigrations.requireCurrent(connection)
            let wanted: Int64 = durability == .power ? 2 : 1
            try connection.execute("PRAGMA synchronous = \(wanted)")
            try connection.execute("PRAGMA cache_size = -256")
            let got = try connection.scalarInt("PRAGMA synchronous") ?? -1
            guard got == wanted else { throw JournalError.durabilityNotApplied(file: path, wanted: wanted, got: got) }
            return connection
        }
        db = Mutex(opened)
    }

    /// Runs one ledger write under the lock, mapping SQLite errors.
    func write<T: Sendable>(_ operation: String, _ body: (SQLiteConnection) throws -> T) throws(JournalError) -> T {
        try JournalError.during(operation) { try db.withLock { db in try body(db) } }
    }
}
