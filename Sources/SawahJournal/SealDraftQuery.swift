import SawahCore
import SawahSQLite

/// Reads what a batch would hold, without writing: the lot's unsealed readings, the chain's
/// last link and its newest key rotation. Run inside one read transaction, so all of it comes
/// from the same snapshot.
///
/// Readings stamped by an unsynchronised clock never enter a certificate (DESIGN.md
/// invariant 9). Those of this boot may still be corrected once the clock is set, so a draft
/// stops before the first of them and waits; those of an earlier boot never can be, so a draft
/// leaves them out and the cursor passes them.
enum SealDraftQuery {
    /// The quality bits a batch leaves out; stored with each batch (`excluded_quality`) so its
    /// raw series is rebuilt from the same rows.
    static let excludedQuality = QualityFlags.unsynchronisedGatewayClock.rawValue

    static func draft(
        in db: SQLiteConnection, lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64, currentBoot: String?
    ) throws -> BatchDraft? {
        guard !sensors.isEmpty else { return nil }
        let cursorQuery = try db.prepare("SELECT sealed_through FROM seal_cursors WHERE lot = ?")
        try cursorQuery.bind(lot, at: 1)
        let cursor = try cursorQuery.step() ? cursorQuery.int64(0) : 0
        let placeholders = Array(repeating: "?", count: sensors.count).joined(separator: ",")
        let waitFrom = try firstAwaitingCorrection(in: db, after: cursor, sensors: sensors, currentBoot: currentBoot)
        let select = try db.prepare(
            """
            SELECT r.seq, s.sensor, s.quantity, r.value, s.unit, r.observed_at, r.received_at, s.source, r.quality
            FROM readings r JOIN series s ON s.id = r.series
            WHERE r.seq > ? AND r.seq < ? AND (r.quality & \(excludedQuality)) = 0 AND s.sensor IN (\(placeholders))
            ORDER BY r.seq LIMIT ?
            """)
        try select.bind(cursor, at: 1)
        try select.bind(waitFrom ?? Int64.max, at: 2)
        for (index, sensor) in sensors.enumerated() { try select.bind(sensor, at: Int32(index + 3)) }
        try select.bind(maxReadings, at: Int32(sensors.count + 3))
        var rows: [JournalReading] = []
        rows.reserveCapacity(maxReadings)
        while try select.step() {
            rows.append(
                JournalReading(
                    seq: select.int64(0),
                    reading: Reading(
                        sensor: select.text(1), quantity: select.text(2), value: select.double(3), unit: select.text(4),
                        observedAt: select.int64(5), receivedAt: select.int64(6), source: select.text(7),
                        quality: QualityFlags(rawValue: select.int64(8)))))
        }
        guard let first = rows.first else { return nil }
        guard rows.count >= maxReadings || first.reading.receivedAt < dueBefore else { return nil }

        let last = try lastBatch(in: db)
        let number = (last?.number ?? 0) + 1
        let previous = last.map { ($0.certificateID, $0.jws) }
        // Rotation links are the batches with no lot (appendRotation).
        // Season and calibration records have no lot either, but hand nothing on.
        let rotationQuery = try db.prepare(
            "SELECT number, jws FROM batches WHERE lot = '' AND number NOT IN (SELECT number FROM chain_records) ORDER BY number DESC LIMIT 1")
        let lastRotation = try rotationQuery.step() ? (rotationQuery.int64(0), rotationQuery.text(1)) : nil
        return BatchDraft(
            number: number, lot: lot, sensors: sensors, rows: rows, previous: previous, lastRotation: lastRotation,
            cursor: cursor)
    }

    /// The first of the lot's readings after `cursor` that this boot received with an
    /// unsynchronised clock: a correction may still give it its true time. Found through the
    /// partial index `readings_unsynchronised`, which holds only such rows (the SQL spells its
    /// condition `(quality & 8) != 0` exactly as the index does, or SQLite would not use it).
    static func firstAwaitingCorrection(in db: SQLiteConnection, after cursor: Int64, sensors: [String], currentBoot: String?) throws -> Int64? {
        guard let currentBoot else { return nil }
        let placeholders = Array(repeating: "?", count: sensors.count).joined(separator: ",")
        let query = try db.prepare(
            """
            SELECT MIN(r.seq) FROM readings r JOIN series s ON s.id = r.series
            WHERE r.boot = (SELECT id FROM boots WHERE boot_id = ?) AND r.seq > ? AND (r.quality & 8) != 0
              AND s.sensor IN (\(placeholders))
            """)
        try query.bind(currentBoot, at: 1)
        try query.bind(cursor, at: 2)
        for (index, sensor) in sensors.enumerated() { try query.bind(sensor, at: Int32(index + 3)) }
        return try query.step() && !query.isNull(0) ? query.int64(0) : nil
    }

    /// The chain's newest link (a batch or a rotation), if any.
    static func lastBatch(in db: SQLiteConnection) throws -> (number: Int64, certificateID: String, jws: String)? {
        let query = try db.prepare("SELECT number, certificate_id, jws FROM batches ORDER BY number DESC LIMIT 1")
        return try query.step() ? (query.int64(0), query.text(1), query.text(2)) : nil
    }
}
