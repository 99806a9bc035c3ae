import SawahCore
import SawahSQLite
import SawahSystem
import Synchronization

/// The durable journal of readings: one SQLite file in WAL mode, written by one connection.
///
/// All of sawahd's writers (MQTT ingest, GPIO and sysfs sensors, sealing, retention) share this
/// object, and every write runs on its one writer thread (`JournalWriter`), in order; each
/// `append` is one transaction — a group commit of everything one turn of the ingest loop read.
/// (sawah-uplink and the CLI's `uplink retry` write deliveries through `DeliveryLedger`.) The sealer reads its drafts on
/// a second connection, used only for reading (`snapshot`), so that building a certificate holds no lock;
/// other readers (the CLI, health) open their own connections with `JournalReader`.
///
/// `Sendable` without `@unchecked`: the write connection lives in `JournalStore`, reachable only
/// on the writer thread, and `snapshot` only inside its mutex.
public final class Journal: Sendable {
    private let writer: JournalWriter
    /// The MQTT sessions' redelivery windows, read per message without the writer.
    private let inboxes = InboxWindows()
    /// A read connection for sealing drafts, opened on first use; its own lock, so reading a
    /// draft never holds up a writer.
    let snapshot = Mutex<SQLiteConnection?>(nil)
    public let path: String
    public let durability: GatewayConfiguration.Durability

    /// Opens (creating if needed) and migrates the journal, and applies and checks the
    /// durability pragmas.
    public convenience init(path: String, durability: GatewayConfiguration.Durability) throws(JournalError) {
        try self.init(path: path, durability: durability, ingesting: true)
    }

    /// `ingesting` false opens an existing journal to seal only (`SealStore.open`): it never
    /// creates or migrates the file (sawahd owns the schema; a journal behind or ahead of this
    /// build is refused), prepares none of the ingest statements and loads no MQTT inbox.
    init(path: String, durability: GatewayConfiguration.Durability, ingesting: Bool) throws(JournalError) {
        self.path = path
        self.durability = durability
        do {
            let db = try SQLiteConnection(path: path, mode: .readWrite(create: ingesting))
            db.setBusyTimeout(milliseconds: 10_000)
            if ingesting {
                // auto_vacuum only takes effect before the first table exists; INCREMENTAL lets
                // retention hand freed pages back to the filesystem when the disk fills up.
                try db.execute("PRAGMA auto_vacuum = INCREMENTAL")
                _ = try db.scalarText("PRAGMA journal_mode = WAL")
                try JournalMigrations.migrate(db)
            } else {
                try JournalMigrations.requireCurrent(db)
            }
            let wanted: Int64 = durability == .power ? 2 : 1
            try db.execute("PRAGMA synchronous = \(wanted)")
            // Appends touch the right edge of a few B-trees: 1 MiB of page cache is plenty,
            // and it is memory a 512 MB board keeps for other things.
            try db.execute("PRAGMA cache_size = -1024")
            // A WAL that grew during a burst or a long read is cut back to 4 MiB when it restarts,
            // so the space returns to the disk without a blocking TRUNCATE checkpoint.
            _ = try db.scalarInt("PRAGMA journal_size_limit = 4194304")
            let got = try db.scalarInt("PRAGMA synchronous") ?? -1
            guard got == wanted else { throw JournalError.durabilityNotApplied(file: path, wanted: wanted, got: got) }
            let store = try JournalStore(db: db, inboxes: inboxes, ingesting: ingesting)
            if ingesting && durability == .power {
                // ext4 mounted errors=remount-ro (as Raspberry Pi OS and Debian mount the root
                // card) answers fsync with success once it has switched itself to read-only
                // after an I/O error, and then never writes what was in the page cache: the
                // last commits before the error were seen lost, though acknowledged, in
                // FullDiskTests. Reading the mount table after each commit (tens of µs, beside
                // the fsync's milliseconds) catches that window.
                let directory = Self.directory(of: path)
                store.confirmDurable = {
                    guard DiskSpace.isReadOnly(at: directory) else { return }
                    throw JournalError.readOnlyFileSystem(
                        file: path, SQLiteError(code: 10, message: "COMMIT returned, but the filesystem had switched to read-only: it may never reach the disk")
                    )
                }
            }
            writer = JournalWriter(store: store)
        } catch let error as JournalError {
            throw error
        } catch let error as SQLiteError {
            if DiskSpace.isReadOnly(at: Self.directory(of: path)) { throw .readOnlyFileSystem(file: path, error) }
            throw .sqlite(operation: "open \(path)", error)
        } catch {
            throw .sqlite(operation: "open \(path)", SQLiteError(code: -1, message: "\(error)"))
        }
    }

    deinit {
        writer.stop()
    }

    /// The folder holding the journal file.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// True when this MQTT message was stored already (a redelivery after a lost PUBACK).
    func isRedelivery(_ entry: InboxEntry) -> Bool {
        inboxes.isRedelivery(entry)
    }

    /// Writes the batch in one transaction; when this returns, all of it is committed.
    /// Returns the gateway sequence numbers given to the readings.
    @discardableResult
    func append(_ batch: IngestBatch) throws(JournalError) -> ClosedRange<Int64>? {
        guard !batch.isEmpty else { return nil }
        return try maintain("append \(batch.readings.count) readings") { store in try store.append(batch) }
    }

    /// Writes the batch in one transaction, as `append` does, for a task on the cooperative
    /// pool: the task is suspended while the writer thread commits, its thread is not held.
    @discardableResult
    func append(_ batch: IngestBatch) async throws(JournalError) -> ClosedRange<Int64>? {
        guard !batch.isEmpty else { return nil }
        return try await JournalError.during("append \(batch.readings.count) readings") {
            try await writer.perform { store in try store.append(batch) }
        }
    }

    /// The broker kept no session for `client`: nothing from before can be redelivered.
    func forgetSession(client: String) throws(JournalError) {
        try maintain("reset MQTT inbox of \(client)") { store in try store.forgetSession(client: client) }
    }

    /// Runs one write on the writer thread and waits for it, mapping SQLite errors.
    func maintain<T: Sendable>(_ operation: String, _ body: (inout JournalStore) throws -> T) throws(JournalError) -> T {
        try JournalError.during(operation) { try writer.perform(body) }
    }
}

extension Journal {
    /// The writer connection's `PRAGMA synchronous` (1 NORMAL, 2 FULL), as SQLite reports it.
    func synchronousLevel() throws(JournalError) -> Int64 {
        try maintain("read PRAGMA synchronous") { try $0.db.scalarInt("PRAGMA synchronous") ?? -1 }
    }
}

extension Journal {
    /// A counter's value (a checkpointed GPIO pulse total), or nil if never written.
    func counter(_ name: String) throws(JournalError) -> Int64? {
        try maintain("read counter \(name)") { store in
            let query = try store.db.prepare("SELECT value FROM counters WHERE name = ?")
            try query.bind(name, at: 1)
            return try query.step() ? query.int64(0) : nil
        }
    }
}
