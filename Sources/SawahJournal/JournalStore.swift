import SawahCore
import SawahSQLite
import SawahSystem

/// The write connection with its compiled statements and caches. Only the journal's writer
/// thread (`JournalWriter`) touches it.
final class JournalStore {
    let db: SQLiteConnection
    /// Nil for a journal opened without the ingest writer (sealing from the CLI).
    private let ingest: IngestStatements?
    private let bumpCounter: SQLiteStatement
    private var seriesIDs: [SeriesKey: Int64] = [:]
    /// Shared with `Journal`, which reads it on the ingest thread without the writer.
    let inboxes: InboxWindows
    private var sessionIDs: [String: Int64] = [:]
    /// This boot's row in `boots` (migration 008), recorded when sawahd opens the journal; nil
    /// where the kernel gives no boot id.
    private var bootRow: Int64?
    /// Asked after each ingest COMMIT, before the batch counts as stored (and so before any
    /// PUBACK): throws if the commit may not have reached the disk (`Journal.init`).
    var confirmDurable: (() throws -> Void)?

    struct SeriesKey: Hashable {
        var sensor: String
        var quantity: String
        var unit: String
        var source: String
    }

    /// `ingesting` false: no ingest statements, no MQTT inbox loaded (`SealStore.open`).
    init(db: SQLiteConnection, inboxes: InboxWindows, ingesting: Bool = true) throws {
        self.db = db
        self.inboxes = inboxes
        ingest = ingesting ? try IngestStatements(db: db) : nil
        bumpCounter = try db.prepare(
            """
            INSERT INTO counters (name, value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
            """)
        if ingesting {
            try loadInboxes()
            bootRow = try Self.recordBoot(db)
        }
    }

    /// This boot in `boots`, once per boot however often sawahd starts.
    private static func recordBoot(_ db: SQLiteConnection) throws -> Int64? {
        guard let id = MonotonicClock.bootID() else { return nil }
        let insert = try db.prepare("INSERT OR IGNORE INTO boots (boot_id, first_seen) VALUES (?, ?)")
        try insert.bind(id, at: 1)
        try insert.bind(Clock.nowMilliseconds(), at: 2)
        try insert.step()
        let select = try db.prepare("SELECT id FROM boots WHERE boot_id = ?")
        try select.bind(id, at: 1)
        return try select.step() ? select.int64(0) : nil
    }

    private func loadInboxes() throws {
        try reloadSessionIDs()
        let query = try db.prepare(
            "SELECT s.client, i.mid, i.digest, i.serial FROM mqtt_inbox i JOIN mqtt_sessions s ON s.id = i.session")
        while try query.step() {
            inboxes.restore(client: query.text(0), mid: Int32(query.int64(1)), digest: query.int64(2), serial: query.int64(3))
        }
    }

    func append(_ batch: IngestBatch) throws -> ClosedRange<Int64>? {
        guard let ingest else { throw SQLiteError(code: 21, message: "this journal was opened without the ingest writer") }
        let insertReading = ingest.insertReading
        let insertQuarantine = ingest.insertQuarantine
        let upsertInbox = ingest.upsertInbox
        let setCounter = ingest.setCounter
        let insertLink = ingest.insertLink
        // Serials are worked out ahead and the in-memory inbox is only updated after COMMIT,
        // so a rolled-back batch leaves it as it was without copying it.
        var nextSerial: [String: Int64] = [:]
        var serials: [Int64] = []
        serials.reserveCapacity(batch.inbox.count)
        for entry in batch.inbox {
            let serial = nextSerial[entry.client] ?? inboxes.nextSerial(client: entry.client)
            serials.append(serial)
            nextSerial[entry.client] = serial + 1
        }
        var first: Int64?
        var last: Int64?
        // One sample of both clocks for the commit: each reading's CLOCK_BOOTTIME is the
        // sample less how long ago (by the wall clock) it was received, at most a few seconds
        // (a group commit's window, a GPIO report) and never negative, so a wall-clock step in
        // between cannot throw it far.
        let wallNow = Clock.nowMilliseconds()
        let boottimeNow = MonotonicClock.boottimeMilliseconds()
        do {
            try db.execute("BEGIN IMMEDIATE")
            for reading in batch.readings {
                let series = try seriesID(for: reading, ingest)
                try insertReading.bind(series, at: 1)
                try insertReading.bind(reading.value, at: 2)
                try insertReading.bind(reading.observedAt, at: 3)
                try insertReading.bind(reading.receivedAt, at: 4)
                try insertReading.bind(reading.quality.rawValue, at: 5)
                if let bootRow { try insertReading.bind(bootRow, at: 6) } else { try insertReading.bindNull(at: 6) }
                try insertReading.bind(boottimeNow - min(max(wallNow - reading.receivedAt, 0), 10_000), at: 7)
                try insertReading.step()
                insertReading.reset()
                last = db.lastInsertRowID
                if first == nil { first = last }
                if let link = reading.link, let seq = last {
                    let insert = insertLink
                    try insert.bind(seq, at: 1)
                    if let rssi = link.rssi { try insert.bind(rssi, at: 2) } else { try insert.bindNull(at: 2) }
                    if let snr = link.snr { try insert.bind(snr, at: 3) } else { try insert.bindNull(at: 3) }
                    try insert.step()
                    insert.reset()
                }
            }
            for record in batch.quarantine {
                try insertQuarantine.bind(record.source, at: 1)
                try insertQuarantine.bind(record.payload, at: 2)
                try insertQuarantine.bind(record.payloadSize, at: 3)
                try insertQuarantine.bind(record.reason, at: 4)
                try insertQuarantine.bind(record.receivedAt, at: 5)
                try insertQuarantine.step()
                insertQuarantine.reset()
            }
            for (entry, serial) in zip(batch.inbox, serials) {
                try upsertInbox.bind(try sessionID(for: entry.client), at: 1)
                try upsertInbox.bind(Int64(entry.mid), at: 2)
                try upsertInbox.bind(entry.digest, at: 3)
                try upsertInbox.bind(serial, at: 4)
                try upsertInbox.step()
                upsertInbox.reset()
            }
            for (name, value) in batch.checkpoints {
                try setCounter.bind(name, at: 1)
                try setCounter.bind(value, at: 2)
                try setCounter.step()
                setCounter.reset()
            }
            for (name, amount) in batch.increments { try bump(name, by: amount) }
            if batch.duplicates > 0 {
                try bump("mqtt_redeliveries_skipped", by: Int64(batch.duplicates))
            }
            if !batch.quarantine.isEmpty {
                try bump("quarantined_total", by: Int64(batch.quarantine.count))
                try bump(Self.quarantineStored, by: Int64(batch.quarantine.count))
            }
            if !batch.readings.isEmpty { try bump(Self.readingsStored, by: Int64(batch.readings.count)) }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            // Rows inserted by the rolled-back transaction are gone: forget their ids.
            seriesIDs.removeAll()
            sessionIDs.removeAll()
            try? reloadSessionIDs()
            throw error
        }
        // Not recorded in the inbox if unconfirmed: the broker's redelivery must be stored again.
        try confirmDurable?()
        inboxes.record(batch.inbox)
        guard let first, let last else { return nil }
        return first...last
    }

    /// Counters of the rows the readings and quarantine tables hold (migration 007).
    static let readingsStored = "readings_stored"
    static let quarantineStored = "quarantine_stored"

    func bump(_ name: String, by amount: Int64) throws {
        try bumpCounter.bind(name, at: 1)
        try bumpCounter.bind(amount, at: 2)
        try bumpCounter.step()
        bumpCounter.reset()
    }

    func forgetSession(client: String) throws {
        let delete = try db.prepare("DELETE FROM mqtt_inbox WHERE session = (SELECT id FROM mqtt_sessions WHERE client = ?)")
        try delete.bind(client, at: 1)
        try delete.step()
        inboxes.clear(client: client)
    }

    private func reloadSessionIDs() throws {
        let sessions = try db.prepare("SELECT id, client FROM mqtt_sessions")
        while try sessions.step() { sessionIDs[sessions.text(1)] = sessions.int64(0) }
    }

    private func sessionID(for client: String) throws -> Int64 {
        if let id = sessionIDs[client] { return id }
        let id = try insertOrFetchID(
            try db.prepare("INSERT OR IGNORE INTO mqtt_sessions (client) VALUES (?)"),
            try db.prepare("SELECT id FROM mqtt_sessions WHERE client = ?"),
            [client], what: "MQTT session \(client)")
        sessionIDs[client] = id
        return id
    }

    private func seriesID(for reading: Reading, _ ingest: IngestStatements) throws -> Int64 {
        let key = SeriesKey(sensor: reading.sensor, quantity: reading.quantity, unit: reading.unit, source: reading.source)
        if let id = seriesIDs[key] { return id }
        let id = try insertOrFetchID(
            ingest.insertSeries, ingest.selectSeries, [key.sensor, key.quantity, key.unit, key.source],
            what: "series \(key.sensor)/\(key.quantity)")
        seriesIDs[key] = id
        return id
    }

    /// Inserts a row unless its unique key exists, then reads its id back; the same text
    /// values bind both statements.
    private func insertOrFetchID(_ insert: SQLiteStatement, _ select: SQLiteStatement, _ values: [String], what: String) throws -> Int64 {
        for statement in [insert, select] {
            for (index, value) in values.enumerated() { try statement.bind(value, at: Int32(index + 1)) }
        }
        try insert.step()
        insert.reset()
        defer { select.reset() }
        guard try select.step() else { throw SQLiteError(code: -1, message: "\(what) row vanished") }
        return select.int64(0)
    }
}
