import SawahCore
import SawahSQLite

/// Reads what a batch would hold, without writing: the lot's unsealed readings, the chain's
/// last link and its newest key rotation. Run inside one read transaction, so all of it comes
/// from the same snapshot.
enum SealDraftQuery {
    static func draft(in db: SQLiteConnection, lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64) throws -> BatchDraft? {
        guard !sensors.isEmpty else { return nil }
        let cursorQuery = try db.prepare("SELECT sealed_through FROM seal_cursors WHERE lot = ?")
        try cursorQuery.bind(lot, at: 1)
        let cursor = try cursorQuery.step() ? cursorQuery.int64(0) : 0
        let placeholders = Array(repeating: "?", count: sensors.count).joined(separator: ",")
        let select = try db.prepare(
            """
            SELECT r.seq, s.sensor, s.quantity, r.value, s.unit, r.observed_at, r.received_at, s.source, r.quality
            FROM readings r JOIN series s ON s.id = r.series
            WHERE r.seq > ? AND s.sensor IN (\(placeholders))
            ORDER BY r.seq LIMIT ?
            """)
        try select.bind(cursor, at: 1)
        for (index, sensor) in sensors.enumerated() { try select.bind(sensor, at: Int32(index + 2)) }
        try select.bind(maxReadings, at: Int32(sensors.count + 2))
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
        let rotationQuery = try db.prepare("SELECT number, jws FROM batches WHERE lot = '' ORDER BY number DESC LIMIT 1")
        let lastRotation = try rotationQuery.step() ? (rotationQuery.int64(0), rotationQuery.text(1)) : nil
        return BatchDraft(
            number: number, lot: lot, sensors: sensors, rows: rows, previous: previous, lastRotation: lastRotation,
            cursor: cursor)
    }

    /// The chain's newest link (a batch or a rotation), if any.
    static func lastBatch(in db: SQLiteConnection) throws -> (number: Int64, certificateID: String, jws: String)? {
        let query = try db.prepare("SELECT number, certificate_id, jws FROM batches ORDER BY number DESC LIMIT 1")
        return try query.step() ? (query.int64(0), query.text(1), query.text(2)) : nil
    }
}
