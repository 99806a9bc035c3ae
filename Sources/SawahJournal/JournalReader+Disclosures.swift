import SawahSQLite

/// One entry of the audit of disclosures: a batch a platform received.
public struct DisclosureRecord: Sendable, Equatable {
    public var platform: String
    public var batch: Int64
    /// SHA-256 of the disclosure profile's canonical text.
    public var profileHash: String
    /// The certificate sent: the original's id or the derived copy's; empty when withheld.
    public var sent: String
    public var disclosedAt: Int64
}

extension JournalReader {
    /// The audit of disclosures, oldest first, for one platform or all.
    public func disclosures(platform: String? = nil, limit: Int = 10_000) throws(JournalError) -> [DisclosureRecord] {
        try run("read the audit of disclosures") {
            guard try hasTable("disclosures") else { return [] }
            let query = try db.prepare(
                """
                SELECT platform, batch, profile_hash, sent, disclosed_at FROM disclosures
                WHERE ?1 IS NULL OR platform = ?1 ORDER BY disclosed_at, platform, batch LIMIT ?2
                """)
            if let platform { try query.bind(platform, at: 1) } else { try query.bindNull(at: 1) }
            try query.bind(Int64(limit), at: 2)
            var records: [DisclosureRecord] = []
            while try query.step() {
                records.append(
                    DisclosureRecord(
                        platform: query.text(0), batch: query.int64(1), profileHash: query.text(2), sent: query.text(3), disclosedAt: query.int64(4)))
            }
            return records
        }
    }
}

extension JournalReader {
    /// The derived copies kept for `platform`, by batch (the newest profile's when it changed).
    public func derivedCopies(platform: String) throws(JournalError) -> [(batch: Int64, copy: DerivedCopy)] {
        try run("read the derived copies for \(platform)") {
            guard try hasTable("derived_copies") else { return [] }
            let query = try db.prepare("SELECT batch, certificate_id, jws, epcis, series FROM derived_copies WHERE platform = ? ORDER BY batch")
            try query.bind(platform, at: 1)
            var copies: [(Int64, DerivedCopy)] = []
            while try query.step() {
                copies.append((query.int64(0), DerivedCopy(certificateID: query.text(1), jws: query.text(2), epcis: query.blob(3), series: query.blob(4))))
            }
            return copies
        }
    }
}
