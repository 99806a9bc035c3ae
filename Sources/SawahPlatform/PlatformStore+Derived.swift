import SawahSQLite
import SawahTraceability

extension PlatformStore {
    /// Verifies a derived copy on its own (signature, issuer key, its documents' digests, its
    /// event hash) and keeps it by id: a resend of the same bytes is a duplicate, other bytes
    /// under the same id a conflict, as for certificates.
    func acceptDerived(_ bundle: CertificateBundle, now: Int64) throws -> Result<CertificateAcceptance, CertificateRefusal> {
        let (failures, _) = CertificateVerifier().verify(bundle, previous: nil)
        return try with { db in
            let existing = try db.prepare("SELECT digest FROM derived_certificates WHERE certificate_id = ?")
            try existing.bind(bundle.certificateID, at: 1)
            if try existing.step() {
                let stored = existing.text(0)
                try bump(stored == bundle.digest ? "duplicate_certificates" : "conflicting_certificates", in: db)
                return .failure(stored == bundle.digest ? .duplicate(digest: stored) : .conflict(digest: stored))
            }
            guard failures.isEmpty else {
                try bump("rejected_certificates", in: db)
                return .failure(.invalid(failures))
            }
            let insert = try db.prepare(
                "INSERT INTO derived_certificates (certificate_id, jws, epcis, series, digest, received_at) VALUES (?, ?, ?, ?, ?, ?)")
            try insert.bind(bundle.certificateID, at: 1)
            try insert.bind(bundle.jws, at: 2)
            try insert.bind(bundle.epcis, at: 3)
            try insert.bind(bundle.rawSeries, at: 4)
            try insert.bind(bundle.digest, at: 5)
            try insert.bind(now, at: 6)
            try insert.step()
            return .success(.stored)
        }
    }
}
