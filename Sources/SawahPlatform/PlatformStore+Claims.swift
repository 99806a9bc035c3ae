import SawahClaims
import SawahSQLite
import SawahTraceability

/// Why a claim was not taken.
enum ClaimRefusal: Error {
    /// The platform holds this very claim already; the digest is its.
    case duplicate(digest: String)
    /// The platform holds a different claim under this id; the digest is the stored one's.
    case conflict(digest: String)
    /// Certificates or records the evidence names have not reached the platform yet.
    case notYet(missing: [String])
    /// It does not hold against the chain the platform has; each problem as
    /// `sawah verify --claims` words it.
    case invalid([String])
}

extension PlatformStore {
    /// The chain a claim `urn:sawah:<gateway>:claim:<n>` belongs to
    /// (`urn:sawah:<gateway>:certificate`), or nil for another shape.
    static func chainName(ofClaim claimID: String) -> String? {
        let parts = claimID.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "urn", parts[1] == "sawah", parts[3] == "claim", !parts[2].isEmpty, Int64(parts[4]) != nil else {
            return nil
        }
        return "urn:sawah:\(parts[2]):certificate"
    }

    /// Checks a claim against the chain this platform holds for its gateway, as `sawah verify
    /// --claims` does (signature by a key of the chain, evidence digest, rule parameters, the
    /// evidence recomputed byte for byte), and stores it. The recomputation reads the whole
    /// chain, so it runs outside the store's lock.
    func accept(_ claim: ClaimTransfer, now: Int64) throws -> Result<Void, ClaimRefusal> {
        guard let chain = Self.chainName(ofClaim: claim.claimID) else {
            return .failure(.invalid(["the claim id \(claim.claimID) is not urn:sawah:<gateway>:claim:<number>"]))
        }
        let (existing, missing, bundles) = try with { db -> (String?, [String], [CertificateBundle]) in
            let stored = try db.prepare("SELECT digest FROM claims WHERE claim_id = ?")
            try stored.bind(claim.claimID, at: 1)
            if try stored.step() { return (stored.text(0), [], []) }
            let present = try db.prepare("SELECT 1 FROM certificates WHERE certificate_id = ?")
            var missing: [String] = []
            for id in ClaimTransfer.referencedCertificates(evidence: claim.evidence) {
                present.reset()
                try present.bind(id, at: 1)
                if try !present.step() { missing.append(id) }
            }
            if !missing.isEmpty { return (nil, missing, []) }
            let query = try db.prepare("SELECT number, certificate_id, jws, epcis, raw_series FROM certificates WHERE chain = ? ORDER BY number")
            try query.bind(chain, at: 1)
            var bundles: [CertificateBundle] = []
            while try query.step() {
                bundles.append(
                    CertificateBundle(number: query.int64(0), certificateID: query.text(1), jws: query.text(2), epcis: query.blob(3), rawSeries: query.blob(4)))
            }
            return (nil, [], bundles)
        }
        if let existing {
            bump(existing == claim.digest ? "duplicate_claims" : "conflicting_claims")
            return .failure(existing == claim.digest ? .duplicate(digest: existing) : .conflict(digest: existing))
        }
        if !missing.isEmpty { return .failure(.notYet(missing: missing)) }
        let problems = ClaimVerifier(chain: bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        if !problems.isEmpty {
            bump("rejected_claims")
            return .failure(.invalid(problems))
        }
        return try with { db in
            try db.transaction {
                let insert = try db.prepare(
                    "INSERT OR IGNORE INTO claims (claim_id, chain, jws, evidence, prefill, digest, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                try insert.bind(claim.claimID, at: 1)
                try insert.bind(chain, at: 2)
                try insert.bind(claim.jws, at: 3)
                try insert.bind(claim.evidence, at: 4)
                if let prefill = claim.ePhytoPrefill { try insert.bind(prefill, at: 5) } else { try insert.bindNull(at: 5) }
                try insert.bind(claim.digest, at: 6)
                try insert.bind(now, at: 7)
                try insert.step()
                return .success(())
            }
        }
    }
}
