import SawahCore
import SawahSQLite
import SawahSystem

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
    /// The lot's cursor the draft was read at; the batch commits only if it has not moved.
    var cursor: Int64 = 0
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
    /// The quality bits whose readings the batch left out although in its seq range (readings
    /// stamped by an unsynchronised clock); 0 for batches sealed before that rule.
    public var excludedQuality: Int64 = 0
}

extension Journal {
    /// Seals the next batch of `lot` if one is due: at least `maxReadings` unsealed readings of
    /// its sensors, or the oldest received before `dueBefore`. Returns the batch number, or nil
    /// when nothing was due.
    ///
    /// The draft is read from a snapshot on a connection of its own and `build` makes and signs
    /// the certificate with no lock held, so ingest (and every PUBACK) goes on meanwhile. The
    /// batch row and the cursor are then committed in one short write transaction, and only if
    /// nothing the certificate depends on moved: the lot's cursor, the chain's last link and
    /// every reading in the batch. If something did, the draft is read again (at most three
    /// times a call; a sealing pass that gives up simply tries at its next turn).
    func sealNext(
        lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64, currentBoot: String? = MonotonicClock.bootID(),
        build: (BatchDraft) throws -> SealedBatch
    ) throws(JournalError) -> Int64? {
        let operation = "seal a batch of \(lot)"
        for _ in 0..<3 {
            guard
                let draft = try draft(
                    lot: lot, sensors: sensors, maxReadings: maxReadings, dueBefore: dueBefore, currentBoot: currentBoot, operation: operation)
            else { return nil }
            let sealed: SealedBatch
            do { sealed = try build(draft) } catch { throw .aborted(operation: operation, because: error) }
            if let number = try maintain(operation, { store in try store.commitSeal(draft, sealed) }) { return number }
        }
        return nil
    }

    /// The draft, from one read transaction on the snapshot connection (opened on first use;
    /// WAL lets it read while the writer writes).
    private func draft(
        lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64, currentBoot: String?, operation: String
    ) throws(JournalError) -> BatchDraft? {
        do {
            return try snapshot.withLock { connection in
                if connection == nil {
                    let opened = try SQLiteConnection(path: path)
                    opened.setBusyTimeout(milliseconds: 10_000)
                    connection = opened
                }
                let db = connection!
                try db.execute("BEGIN")
                defer { try? db.execute("COMMIT") }
                return try SealDraftQuery.draft(
                    in: db, lot: lot, sensors: sensors, maxReadings: maxReadings, dueBefore: dueBefore, currentBoot: currentBoot)
            }
        } catch let error as SQLiteError {
            throw .sqlite(operation: operation, error)
        } catch {
            throw .aborted(operation: operation, because: error)
        }
    }
}

extension Journal {
    /// Appends a key-rotation link to the chain: `build` gets the next number and the previous
    /// certificate and returns the signed rotation certificate; it is stored as a batch with no
    /// lot and no readings, in one transaction.
    func appendRotation(createdAt: Int64, build: (Int64, (id: String, jws: String)?) throws -> (certificateID: String, jws: String)) throws(JournalError)
        -> Int64
    {
        try maintain("append a key rotation") { store in try store.appendRotation(createdAt: createdAt, build: build) }
    }

    /// The newest batch, if any.
    func lastBatch() throws(JournalError) -> (number: Int64, certificateID: String, jws: String)? {
        try maintain("read the last batch") { store in try store.lastBatch() }
    }
}

extension JournalStore {
    func lastBatch() throws -> (number: Int64, certificateID: String, jws: String)? {
        try SealDraftQuery.lastBatch(in: db)
    }

    func appendRotation(createdAt: Int64, build: (Int64, (id: String, jws: String)?) throws -> (certificateID: String, jws: String)) throws -> Int64 {
        try db.transaction {
            let last = try lastBatch()
            let number = (last?.number ?? 0) + 1
            let made = try build(number, last.map { ($0.certificateID, $0.jws) })
            let insert = try db.prepare(
                """
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
