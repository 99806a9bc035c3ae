import SawahSQLite

/// A record link as `build` returns it: the certificate, its signed JWS and its EPCIS document.
public struct RecordLink: Sendable {
    public var certificateID: String
    public var jws: String
    public var epcis: [UInt8]

    public init(certificateID: String, jws: String, epcis: [UInt8]) {
        self.certificateID = certificateID
        self.jws = jws
        self.epcis = epcis
    }
}

/// A claim as `build` returns it, for `Journal.storeClaim`.
public struct ClaimDraft: Sendable {
    public var claimID: String
    public var jws: String
    public var evidence: [UInt8]
    public var prefill: [UInt8]?

    public init(claimID: String, jws: String, evidence: [UInt8], prefill: [UInt8]?) {
        self.claimID = claimID
        self.jws = jws
        self.evidence = evidence
        self.prefill = prefill
    }
}

extension Journal {
    /// Appends a season or calibration record to the chain: `build` gets the next number and
    /// the previous certificate and returns the signed link; it is stored as a batch with no
    /// lot and no readings, indexed by kind and subject, in one transaction.
    func appendRecord(
        kind: String, subject: String, eventTime: Int64, createdAt: Int64,
        build: (Int64, (id: String, jws: String)?) throws -> RecordLink
    ) throws(JournalError) -> Int64 {
        try maintain("append a \(kind) record") { store in
            try store.db.transaction {
                let last = try store.lastBatch()
                let number = (last?.number ?? 0) + 1
                let link = try build(number, last.map { ($0.certificateID, $0.jws) })
                let insert = try store.db.prepare(
                    """
                    INSERT INTO batches (number, lot, sensors, first_seq, last_seq, reading_count, start_time, end_time,
                                         created_at, certificate_id, jws, epcis, raw_digest)
                    VALUES (?1, '', '', 0, 0, 0, ?2, ?2, ?3, ?4, ?5, ?6, '')
                    """)
                try insert.bind(number, at: 1)
                try insert.bind(eventTime, at: 2)
                try insert.bind(createdAt, at: 3)
                try insert.bind(link.certificateID, at: 4)
                try insert.bind(link.jws, at: 5)
                try insert.bind(link.epcis, at: 6)
                try insert.step()
                let index = try store.db.prepare("INSERT INTO chain_records (number, kind, subject, event_time) VALUES (?, ?, ?, ?)")
                try index.bind(number, at: 1)
                try index.bind(kind, at: 2)
                try index.bind(subject, at: 3)
                try index.bind(eventTime, at: 4)
                try index.step()
                return number
            }
        }
    }

    /// Stores a claim under the next claim number, which `build` gets to name it by.
    func storeClaim(kind: String, subject: String, createdAt: Int64, build: (Int64) throws -> ClaimDraft) throws(JournalError) -> Int64 {
        try maintain("store a \(kind) claim") { store in
            try store.db.transaction {
                let number = (try store.db.scalarInt("SELECT COALESCE(MAX(number), 0) FROM claims") ?? 0) + 1
                let claim = try build(number)
                let insert = try store.db.prepare(
                    "INSERT INTO claims (number, claim_id, kind, subject, created_at, jws, evidence, prefill) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                try insert.bind(number, at: 1)
                try insert.bind(claim.claimID, at: 2)
                try insert.bind(kind, at: 3)
                try insert.bind(subject, at: 4)
                try insert.bind(createdAt, at: 5)
                try insert.bind(claim.jws, at: 6)
                try insert.bind(claim.evidence, at: 7)
                if let prefill = claim.prefill { try insert.bind(prefill, at: 8) } else { try insert.bindNull(at: 8) }
                try insert.step()
                return number
            }
        }
    }
}
