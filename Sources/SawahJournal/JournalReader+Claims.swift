import SawahSQLite

/// A claim as stored: the signed credential, its evidence bundle and, for a cold treatment,
/// the ePhyto prefill.
public struct StoredClaim: Sendable, Equatable {
    public var number: Int64
    public var claimID: String
    /// `awd` or `cold-treatment`.
    public var kind: String
    /// The plot or the lot.
    public var subject: String
    public var createdAt: Int64
    public var jws: String
    public var evidence: [UInt8]
    public var prefill: [UInt8]?

    public init(
        number: Int64, claimID: String, kind: String, subject: String, createdAt: Int64, jws: String, evidence: [UInt8], prefill: [UInt8]?
    ) {
        self.number = number
        self.claimID = claimID
        self.kind = kind
        self.subject = subject
        self.createdAt = createdAt
        self.jws = jws
        self.evidence = evidence
        self.prefill = prefill
    }
}

extension JournalReader {
    /// The chain's record links of `kind` ("season", "calibration"), for `subject` when given,
    /// in chain order. Empty on a journal from before records existed.
    public func recordLinks(kind: String, subject: String? = nil) throws(JournalError) -> [StoredBatch] {
        let numbers: [Int64] = try run("find \(kind) records") {
            guard try hasTable("chain_records") else { return [] }
            let query = try db.prepare(
                "SELECT number FROM chain_records WHERE kind = ?1 AND (?2 IS NULL OR subject = ?2) ORDER BY number")
            try query.bind(kind, at: 1)
            if let subject { try query.bind(subject, at: 2) } else { try query.bindNull(at: 2) }
            var numbers: [Int64] = []
            while try query.step() { numbers.append(query.int64(0)) }
            return numbers
        }
        var links: [StoredBatch] = []
        for number in numbers { if let batch = try batch(number) { links.append(batch) } }
        return links
    }

    /// Every stored claim, oldest first; or the one whose number or id is `key`.
    public func claims(matching key: String? = nil) throws(JournalError) -> [StoredClaim] {
        try run("read claims") {
            guard try hasTable("claims") else { return [] }
            let query = try db.prepare(
                """
                SELECT number, claim_id, kind, subject, created_at, jws, evidence, prefill FROM claims
                WHERE ?1 IS NULL OR claim_id = ?1 OR CAST(number AS TEXT) = ?1 ORDER BY number
                """)
            if let key { try query.bind(key, at: 1) } else { try query.bindNull(at: 1) }
            var claims: [StoredClaim] = []
            while try query.step() {
                claims.append(
                    StoredClaim(
                        number: query.int64(0), claimID: query.text(1), kind: query.text(2), subject: query.text(3),
                        createdAt: query.int64(4), jws: query.text(5), evidence: query.blob(6), prefill: query.isNull(7) ? nil : query.blob(7)))
            }
            return claims
        }
    }
}
