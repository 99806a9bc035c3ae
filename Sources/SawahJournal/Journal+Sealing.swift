import SawahCore
import SawahSQLite

/// A batch about to be sealed: the lot's unsealed readings and the chain's last link.
public struct BatchDraft: Sendable {
    public var number: Int64
    public var lot: String
    public var sensors: [String]
    public var rows: [JournalReading]
    /// The previous batch's certificate id and JWS; nil for the first batch.
    public var previous: (id: String, jws: String)?
    /// The chain's newest key-rotation link: from it on, only the key it names may sign.
    public var lastRotation: (number: Int64, jws: String)?
}

/// What sealing produced, stored with the batch.
public struct SealedBatch: Sendable {
    public var certificateID: String
    public var jws: String
    public var epcis: [UInt8]
    public var rawDigest: String
    public var createdAt: Int64

    public init(certificateID: String, jws: String, epcis: [UInt8], rawDigest: String, createdAt: Int64) {
        self.certificateID = certificateID
        self.jws = jws
        self.epcis = epcis
        self.rawDigest = rawDigest
        self.createdAt = createdAt
    }
}

/// A stored batch, as `sawah verify` and exports read it.
public struct StoredBatch: Sendable, Equatable {
    public var number: Int64
    public var lot: String
    public var sensors: [String]
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var readingCount: Int64
    public var startTime: Int64
    public var endTime: Int64
    public var createdAt: Int64
    public var certificateID: String
    public var jws: String
    public var epcis: [UInt8]
    public var rawDigest: String
}

extension Journal {
    /// Seals the next batch of `lot` if one is due: at least `maxReadings` unsealed readings of
    /// its sensors, or the oldest received before `dueBefore`. `build` makes the certificate
    /// while the write transaction is open, so the batch row, the cursor and the certificate
    /// commit together or not at all. Returns the batch number, or nil when nothing was due.
    public func sealNext(lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64,
                         build: (BatchDraft) throws -> SealedBatch) throws(JournalError) -> Int64? {
        try maintain("seal a batch of \(lot)") { store in
            try store.sealNext(lot: lot, sensors: sensors, maxReadings: maxReadings, dueBefore: dueBefore, build: build)
        }
    }
}

extension JournalStore {
    func sealNext(lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64,
                  build: (BatchDraft) throws -> SealedBatch) throws -> Int64? {
        guard !sensors.isEmpty else { return nil }
        try db.execute("BEGIN IMMEDIATE")
        do {
            let result = try sealInTransaction(lot: lot, sensors: sensors, maxReadings: maxReadings, dueBefore: dueBefore, build: build)
            try db.execute(result == nil ? "ROLLBACK" : "COMMIT")
            return result
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    private func sealInTransaction(lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64,
                                   build: (BatchDraft) throws -> SealedBatch) throws -> Int64? {
        let cursorQuery = try db.prepare("SELECT sealed_through FROM seal_cursors WHERE lot = ?")
        try cursorQuery.bind(lot, at: 1)
        let cursor = try cursorQuery.step() ? cursorQuery.int64(0) : 0
        let placeholders = Array(repeating: "?", count: sensors.count).joined(separator: ",")
        let select = try db.prepare("""
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
            rows.append(JournalReading(seq: select.int64(0), reading: Reading(
                sensor: select.text(1), quantity: select.text(2), value: select.double(3), unit: select.text(4),
                observedAt: select.int64(5), receivedAt: select.int64(6), source: select.text(7),
                quality: QualityFlags(rawValue: select.int64(8)))))
        }
        guard let first = rows.first, let last = rows.last else { return nil }
        guard rows.count >= maxReadings || first.reading.receivedAt < dueBefore else { return nil }

        let previousQuery = try db.prepare("SELECT number, certificate_id, jws FROM batches ORDER BY number DESC LIMIT 1")
        var number: Int64 = 1
        var previous: (String, String)?
        if try previousQuery.step() {
            number = previousQuery.int64(0) + 1
            previous = (previousQuery.text(1), previousQuery.text(2))
        }
        // Rotation links are the batches with no lot (appendRotation).
        let rotationQuery = try db.prepare("SELECT number, jws FROM batches WHERE lot = '' ORDER BY number DESC LIMIT 1")
        let lastRotation = try rotationQuery.step() ? (rotationQuery.int64(0), rotationQuery.text(1)) : nil
        let sealed = try build(BatchDraft(number: number, lot: lot, sensors: sensors, rows: rows, previous: previous, lastRotation: lastRotation))
        let insert = try db.prepare("""
            INSERT INTO batches (number, lot, sensors, first_seq, last_seq, reading_count, start_time, end_time,
                                 created_at, certificate_id, jws, epcis, raw_digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.bind(number, at: 1)
        try insert.bind(lot, at: 2)
        try insert.bind(sensors.joined(separator: ","), at: 3)
        try insert.bind(first.seq, at: 4)
        try insert.bind(last.seq, at: 5)
        try insert.bind(Int64(rows.count), at: 6)
        try insert.bind(rows.map(\.reading.observedAt).min()!, at: 7)
        try insert.bind(rows.map(\.reading.observedAt).max()!, at: 8)
        try insert.bind(sealed.createdAt, at: 9)
        try insert.bind(sealed.certificateID, at: 10)
        try insert.bind(sealed.jws, at: 11)
        try insert.bind(sealed.epcis, at: 12)
        try insert.bind(sealed.rawDigest, at: 13)
        try insert.step()
        let advance = try db.prepare("""
            INSERT INTO seal_cursors (lot, sealed_through) VALUES (?, ?)
            ON CONFLICT (lot) DO UPDATE SET sealed_through = excluded.sealed_through
            """)
        try advance.bind(lot, at: 1)
        try advance.bind(last.seq, at: 2)
        try advance.step()
        return number
    }
}

extension Journal {
    /// Appends a key-rotation link to the chain: `build` gets the next number and the previous
    /// certificate and returns the signed rotation certificate; it is stored as a batch with no
    /// lot and no readings, in one transaction.
    public func appendRotation(createdAt: Int64, build: (Int64, (id: String, jws: String)?) throws -> (certificateID: String, jws: String)) throws(JournalError) -> Int64 {
        try maintain("append a key rotation") { store in try store.appendRotation(createdAt: createdAt, build: build) }
    }

    /// The newest batch, if any.
    public func lastBatch() throws(JournalError) -> (number: Int64, certificateID: String, jws: String)? {
        try maintain("read the last batch") { store in try store.lastBatch() }
    }
}

extension JournalStore {
    func lastBatch() throws -> (number: Int64, certificateID: String, jws: String)? {
        let query = try db.prepare("SELECT number, certificate_id, jws FROM batches ORDER BY number DESC LIMIT 1")
        return try query.step() ? (query.int64(0), query.text(1), query.text(2)) : nil
    }

    func appendRotation(createdAt: Int64, build: (Int64, (id: String, jws: String)?) throws -> (certificateID: String, jws: String)) throws -> Int64 {
        try db.transaction {
            let last = try lastBatch()
            let number = (last?.number ?? 0) + 1
            let made = try build(number, last.map { ($0.certificateID, $0.jws) })
            let insert = try db.prepare("""
                INSERT INTO batches (number, lot, sensors, first_seq, last_seq, reading_count, start_time, end_time,
                                     created_at, certificate_id, jws, epcis, raw_digest)
                VALUES (?, '', '', 0, 0, 0, ?, ?, ?, ?, ?, X'', '')
                """)
            try insert.bind(number, at: 1)
            try insert.bind(createdAt, at: 2)
            try insert.bind(createdAt, at: 3)
            try insert.bind(createdAt, at: 4)
            try insert.bind(made.certificateID, at: 5)
            try insert.bind(made.jws, at: 6)
            try insert.step()
            return number
        }
    }
}
