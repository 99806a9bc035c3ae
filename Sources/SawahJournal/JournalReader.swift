import SawahCore
import SawahSQLite

/// A reading as stored, with its gateway sequence number.
public struct JournalReading: Sendable, Equatable {
    public var seq: Int64
    public var reading: Reading
}

/// A quarantined payload as stored.
public struct JournalQuarantineEntry: Sendable, Equatable {
    public var id: Int64
    public var record: QuarantineRecord
}

/// A read-only view of a journal for the CLI, tests and benchmarks. It opens its own
/// connection, so it can run beside a live `sawahd` (WAL lets readers and the writer overlap).
public final class JournalReader {
    let db: SQLiteConnection
    public let path: String

    public init(path: String) throws(JournalError) {
        self.path = path
        do {
            db = try SQLiteConnection(path: path, mode: .readWrite(create: false))
            db.setBusyTimeout(milliseconds: 5_000)
            try db.execute("PRAGMA query_only = 1")
            // Readers scan; a small page cache keeps a daemon's health checks from holding
            // megabytes of pages it will not reuse.
            try db.execute("PRAGMA cache_size = -256")
        } catch let error as SQLiteError {
            throw .sqlite(operation: "open \(path) for reading", error)
        } catch {
            throw .sqlite(operation: "open \(path)", SQLiteError(code: -1, message: "\(error)"))
        }
    }

    static let columns = "seq, sensor, quantity, value, unit, observed_at, received_at, source, quality, rssi, snr"

    func row(_ statement: SQLiteStatement) -> JournalReading {
        JournalReading(
            seq: statement.int64(0),
            reading: Reading(
                sensor: statement.text(1), quantity: statement.text(2), value: statement.double(3),
                unit: statement.text(4), observedAt: statement.int64(5), receivedAt: statement.int64(6),
                source: statement.text(7), quality: QualityFlags(rawValue: statement.int64(8)),
                link: statement.isNull(9) && statement.isNull(10)
                    ? nil
                    : LinkQuality(rssi: statement.isNull(9) ? nil : statement.double(9), snr: statement.isNull(10) ? nil : statement.double(10))))
    }

    /// Whether the journal has `table` yet: a reader may open a journal from before the step
    /// that made it (sawahd migrates; readers never do).
    func hasTable(_ table: String) throws -> Bool {
        let query = try db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        try query.bind(table, at: 1)
        return try query.step()
    }

    func run<T>(_ operation: String, _ body: () throws -> T) throws(JournalError) -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw .sqlite(operation: operation, error)
        } catch {
            throw .sqlite(operation: operation, SQLiteError(code: -1, message: "\(error)"))
        }
    }

    /// Readings with a sequence number above `seq`, oldest first.
    public func readings(afterSeq seq: Int64, limit: Int) throws(JournalError) -> [JournalReading] {
        try run("read readings") {
            let query = try db.prepare("SELECT \(Self.columns) FROM reading_rows WHERE seq > ? ORDER BY seq LIMIT ?")
            try query.bind(seq, at: 1)
            try query.bind(limit, at: 2)
            var rows: [JournalReading] = []
            while try query.step() { rows.append(row(query)) }
            return rows
        }
    }

    /// The newest `limit` readings, oldest first.
    public func latestReadings(limit: Int) throws(JournalError) -> [JournalReading] {
        try run("read latest readings") {
            let query = try db.prepare("SELECT \(Self.columns) FROM reading_rows ORDER BY seq DESC LIMIT ?")
            try query.bind(limit, at: 1)
            var rows: [JournalReading] = []
            while try query.step() { rows.append(row(query)) }
            return rows.reversed()
        }
    }

    /// How many readings were observed in `[from, to)` (milliseconds since 1970).
    public func countReadings(observedFrom from: Int64, to: Int64) throws(JournalError) -> Int64 {
        try run("count readings") {
            let query = try db.prepare("SELECT COUNT(*) FROM readings WHERE observed_at >= ? AND observed_at < ?")
            try query.bind(from, at: 1)
            try query.bind(to, at: 2)
            return try query.step() ? query.int64(0) : 0
        }
    }

    /// Streams readings observed in `[from, to)`, in journal (sequence) order, without holding
    /// them all or sorting: a scan, which the export can afford and ingest cannot.
    public func forEachReading(observedFrom from: Int64, to: Int64, _ body: (JournalReading) throws -> Void) throws(JournalError) {
        try run("export readings") {
            let query = try db.prepare(
                "SELECT \(Self.columns) FROM reading_rows WHERE observed_at >= ? AND observed_at < ? ORDER BY seq")
            try query.bind(from, at: 1)
            try query.bind(to, at: 2)
            while try query.step() { try body(row(query)) }
        }
    }

    /// The newest quarantined payloads, newest first.
    public func quarantine(limit: Int) throws(JournalError) -> [JournalQuarantineEntry] {
        try run("read quarantine") {
            let query = try db.prepare(
                "SELECT id, source, payload, payload_size, reason, received_at FROM quarantine ORDER BY id DESC LIMIT ?")
            try query.bind(limit, at: 1)
            var rows: [JournalQuarantineEntry] = []
            while try query.step() {
                rows.append(
                    JournalQuarantineEntry(
                        id: query.int64(0),
                        record: QuarantineRecord(
                            source: query.text(1), payload: query.blob(2), payloadSize: Int(query.int64(3)),
                            reason: query.text(4), receivedAt: query.int64(5))))
            }
            return rows
        }
    }

    /// Every named counter (evictions, duplicates skipped, quarantined total).
    public func counters() throws(JournalError) -> [String: Int64] {
        try run("read counters") {
            let query = try db.prepare("SELECT name, value FROM counters")
            var result: [String: Int64] = [:]
            while try query.step() { result[query.text(0)] = query.int64(1) }
            return result
        }
    }

    /// The highest gateway sequence number stored (0 for none): cheap, unlike COUNT(*).
    public func lastSequence() throws(JournalError) -> Int64 {
        try run("read last sequence") { try db.scalarInt("SELECT COALESCE(MAX(seq), 0) FROM readings") ?? 0 }
    }

    /// Rows in the readings and quarantine tables, from the counters the writer keeps (O(1));
    /// a journal sawahd has not yet migrated to keep them is counted row by row.
    public func counts() throws(JournalError) -> (readings: Int64, quarantine: Int64) {
        try run("count rows") {
            let stored = try db.prepare("SELECT name, value FROM counters WHERE name IN ('readings_stored', 'quarantine_stored')")
            var values: [String: Int64] = [:]
            while try stored.step() { values[stored.text(0)] = stored.int64(1) }
            return (
                try values["readings_stored"] ?? db.scalarInt("SELECT COUNT(*) FROM readings") ?? 0,
                try values["quarantine_stored"] ?? db.scalarInt("SELECT COUNT(*) FROM quarantine") ?? 0
            )
        }
    }

    /// Names of the schema steps applied, in order.
    public func appliedMigrations() throws(JournalError) -> [String] {
        try run("read schema steps") {
            let query = try db.prepare("SELECT name FROM schema_migrations ORDER BY name")
            var names: [String] = []
            while try query.step() { names.append(query.text(0)) }
            return names
        }
    }
}

extension JournalReader {
    /// Sealed batches with numbers in `range`, in order.
    public func batches(_ range: ClosedRange<Int64> = 1...Int64.max) throws(JournalError) -> [StoredBatch] {
        try run("read batches") {
            let query = try db.prepare(
                """
                SELECT number, lot, sensors, first_seq, last_seq, reading_count, start_time, end_time, created_at,
                       certificate_id, jws, epcis, raw_digest, excluded_quality
                FROM batches WHERE number BETWEEN ? AND ? ORDER BY number
                """)
            try query.bind(range.lowerBound, at: 1)
            try query.bind(range.upperBound, at: 2)
            var result: [StoredBatch] = []
            while try query.step() {
                result.append(
                    StoredBatch(
                        number: query.int64(0), lot: query.text(1), sensors: query.text(2).split(separator: ",").map(String.init),
                        firstSeq: query.int64(3), lastSeq: query.int64(4), readingCount: query.int64(5),
                        startTime: query.int64(6), endTime: query.int64(7), createdAt: query.int64(8),
                        certificateID: query.text(9), jws: query.text(10), epcis: query.blob(11), rawDigest: query.text(12),
                        excludedQuality: query.int64(13)))
            }
            return result
        }
    }

    /// The readings a batch covers, rebuilt from the journal: its lot's sensors, seq in range,
    /// less those with a quality bit the batch left out.
    public func readings(of batch: StoredBatch) throws(JournalError) -> [JournalReading] {
        var rows: [JournalReading] = []
        try forEachReading(of: batch) { rows.append($0) }
        return rows
    }

    /// Calls `body` with each reading of the batch in seq order, without holding them all.
    public func forEachReading(of batch: StoredBatch, _ body: (JournalReading) throws -> Void) throws(JournalError) {
        guard !batch.sensors.isEmpty else { return }
        try run("read the readings of batch \(batch.number)") {
            let placeholders = Array(repeating: "?", count: batch.sensors.count).joined(separator: ",")
            let query = try db.prepare(
                """
                SELECT \(Self.columns) FROM reading_rows
                WHERE seq BETWEEN ? AND ? AND (quality & ?) = 0 AND sensor IN (\(placeholders)) ORDER BY seq
                """)
            try query.bind(batch.firstSeq, at: 1)
            try query.bind(batch.lastSeq, at: 2)
            try query.bind(batch.excludedQuality, at: 3)
            for (index, sensor) in batch.sensors.enumerated() { try query.bind(sensor, at: Int32(index + 4)) }
            while try query.step() { try body(row(query)) }
        }
    }
}

extension JournalReader {
    /// How many batches are sealed (0 before any, or when the table is new).
    public func batchCount() throws(JournalError) -> Int {
        try run("count batches") { Int(try db.scalarInt("SELECT COUNT(*) FROM batches") ?? 0) }
    }

    /// The newest receive time per sensor.
    public func lastReadingPerSensor() throws(JournalError) -> [String: Int64] {
        try run("read the newest reading per sensor") {
            let query = try db.prepare("SELECT s.sensor, MAX(r.received_at) FROM readings r JOIN series s ON s.id = r.series GROUP BY s.sensor")
            var result: [String: Int64] = [:]
            while try query.step() { result[query.text(0)] = query.int64(1) }
            return result
        }
    }
}

extension JournalReader {
    /// Readings received after `time` (ms), among the newest million: enough for a rate.
    public func readingsReceived(since time: Int64) throws(JournalError) -> Int64 {
        try run("count recent readings") {
            let query = try db.prepare(
                """
                SELECT COUNT(*) FROM readings
                WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM readings) - 1000000 AND received_at > ?
                """)
            try query.bind(time, at: 1)
            return try query.step() ? query.int64(0) : 0
        }
    }

    /// Readings of `sensors` not yet sealed into a batch of `lot` (observed before
    /// `observedBefore`, when given).
    public func unsealedCount(lot: String, sensors: [String], observedBefore: Int64 = .max) throws(JournalError) -> Int64 {
        guard !sensors.isEmpty else { return 0 }
        return try run("count unsealed readings of \(lot)") {
            let placeholders = Array(repeating: "?", count: sensors.count).joined(separator: ",")
            let query = try db.prepare(
                """
                SELECT COUNT(*) FROM readings r JOIN series s ON s.id = r.series
                WHERE r.seq > COALESCE((SELECT sealed_through FROM seal_cursors WHERE lot = ?), 0) AND r.observed_at < ?
                  AND s.sensor IN (\(placeholders))
                """)
            try query.bind(lot, at: 1)
            try query.bind(observedBefore, at: 2)
            for (index, sensor) in sensors.enumerated() { try query.bind(sensor, at: Int32(index + 3)) }
            return try query.step() ? query.int64(0) : 0
        }
    }

    /// The newest batch's number and creation time.
    public func lastBatchSummary() throws(JournalError) -> (number: Int64, createdAt: Int64)? {
        try run("read the newest batch") {
            let query = try db.prepare("SELECT number, created_at FROM batches ORDER BY number DESC LIMIT 1")
            return try query.step() ? (query.int64(0), query.int64(1)) : nil
        }
    }
}
