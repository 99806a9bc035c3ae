import SawahSQLite
import SawahTraceability

/// Why a certificate was not taken.
enum CertificateRefusal: Error {
    /// The platform has it already.
    case duplicate
    /// It does not verify; each failure as `sawah verify` words it.
    case invalid([VerificationFailure])
}

extension PlatformStore {
    /// Verifies and stores one bundle, as `sawah verify` checks a chain: signature and issuer,
    /// digests, event hashes, statistics, and the link to the previous certificate when the
    /// platform has it. Bundles may arrive out of order; a link is checked as soon as both
    /// ends are here, and a broken one refuses the later certificate.
    func accept(_ bundle: CertificateBundle, now: Int64) throws -> Result<Void, CertificateRefusal> {
        let chain = Self.chainName(bundle.certificateID)
        return try with { db in
            try db.transaction {
                if try stored(bundle.certificateID, db: db) != nil {
                    try bump("duplicate_certificates", in: db)
                    return .failure(.duplicate)
                }
                let previous = try stored(chain: chain, number: bundle.number - 1, db: db)
                var (failures, _) = CertificateVerifier().verify(bundle, previous: previous)
                if previous == nil && bundle.number > 1 {
                    // The previous certificate is not here yet: its link is checked when it comes.
                    failures.removeAll { $0.check == "chain" }
                }
                if let next = try stored(chain: chain, number: bundle.number + 1, db: db) {
                    let (nextFailures, _) = CertificateVerifier().verify(next, previous: bundle)
                    failures += nextFailures.filter { $0.check == "chain" }
                }
                guard failures.isEmpty else {
                    try bump("rejected_certificates", in: db)
                    return .failure(.invalid(failures))
                }
                let insert = try db.prepare("""
                    INSERT INTO certificates (certificate_id, chain, number, jws, epcis, raw_series, linked, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try insert.bind(bundle.certificateID, at: 1)
                try insert.bind(chain, at: 2)
                try insert.bind(bundle.number, at: 3)
                try insert.bind(bundle.jws, at: 4)
                try insert.bind(bundle.epcis, at: 5)
                try insert.bind(bundle.rawSeries, at: 6)
                try insert.bind(previous != nil || bundle.number == 1 ? 1 : 0, at: 7)
                try insert.bind(now, at: 8)
                try insert.step()
                let link = try db.prepare("UPDATE certificates SET linked = 1 WHERE chain = ? AND number = ?")
                try link.bind(chain, at: 1)
                try link.bind(bundle.number + 1, at: 2)
                try link.step()
                return .success(())
            }
        }
    }

    /// Certificates of one gateway share the id prefix `urn:sawah:<gateway>:certificate:`.
    static func chainName(_ certificateID: String) -> String {
        guard let colon = certificateID.lastIndex(of: ":") else { return certificateID }
        return String(certificateID[..<colon])
    }

    private func stored(_ id: String, db: SQLiteConnection) throws -> CertificateBundle? {
        let query = try db.prepare("SELECT number, jws, epcis, raw_series FROM certificates WHERE certificate_id = ?")
        try query.bind(id, at: 1)
        guard try query.step() else { return nil }
        return CertificateBundle(number: query.int64(0), certificateID: id, jws: query.text(1), epcis: query.blob(2), rawSeries: query.blob(3))
    }

    private func stored(chain: String, number: Int64, db: SQLiteConnection) throws -> CertificateBundle? {
        try stored(chain + ":" + String(number), db: db)
    }
}
