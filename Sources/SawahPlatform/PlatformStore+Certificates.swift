import SawahSQLite
import SawahTraceability

/// Why a certificate was not taken.
enum CertificateRefusal: Error {
    /// The platform holds these very bytes already; the digest is theirs.
    case duplicate(digest: String)
    /// The platform holds a different certificate under this id; the digest is the stored one's.
    case conflict(digest: String)
    /// It does not verify; each failure as `sawah verify` words it.
    case invalid([VerificationFailure])
    /// Too many certificates of this chain are already waiting for their predecessors.
    case tooManyHeld(Int)
}

/// What became of a certificate that was taken.
enum CertificateAcceptance: Equatable {
    /// Verified, linked to its predecessor (or first of its chain) and stored.
    case stored
    /// Verified on its own, but its predecessor is not here: held apart, unlinked and unseen,
    /// until the predecessor arrives and the link can be checked.
    case held
}

extension PlatformStore {
    /// Held certificates per chain: enough for a sender's concurrent deliveries arriving out of
    /// order, not enough for a stranger to fill the disk.
    static let heldPerChain = 64

    /// Verifies and stores one bundle, as `sawah verify` checks a chain: signature and issuer,
    /// digests, event hashes, statistics, the hash link to the previous certificate and the
    /// continuity of the signing key. A certificate is stored only once its link is checked:
    /// one whose predecessor is missing is held, and a held certificate can never cause a
    /// later-arriving genuine predecessor to be refused (it is dropped if it does not link).
    func accept(_ bundle: CertificateBundle, now: Int64) throws -> Result<CertificateAcceptance, CertificateRefusal> {
        // A gateway's derived copy (its disclosure profile removed something) is no link of
        // the chain: checked on its own and kept apart.
        if CertificateVerifier.isDerived(bundle) { return try acceptDerived(bundle, now: now) }
        let chain = Self.chainName(bundle.certificateID)
        let verifier = CertificateVerifier()
        // The costly part — signature first, then digests, event hashes and statistics — runs
        // before the store's lock is taken, so one hostile bundle delays nobody else. Under the
        // lock only the cheap link and key-continuity checks remain.
        var (alone, signer) = verifier.verify(bundle, previous: nil)
        if bundle.number > 1 { alone.removeAll { $0.check == "chain" } }
        return try with { db in
            try db.transaction {
                if let existing = try stored(bundle.certificateID, db: db) {
                    let same = existing.jws == bundle.jws && existing.epcis == bundle.epcis && existing.rawSeries == bundle.rawSeries
                    try bump(same ? "duplicate_certificates" : "conflicting_certificates", in: db)
                    return .failure(same ? .duplicate(digest: existing.digest) : .conflict(digest: existing.digest))
                }
                let previous = try stored(chain: chain, number: bundle.number - 1, db: db)
                var failures = alone
                if let previous, failures.isEmpty {
                    failures += verifier.linkFailures(bundle, previous: previous)
                    failures += verifier.continuityFailures(bundle, signer: signer, previous: previous)
                }
                guard failures.isEmpty else {
                    try bump("rejected_certificates", in: db)
                    return .failure(.invalid(failures))
                }
                if previous == nil && bundle.number > 1 {
                    let count = try db.prepare("SELECT COUNT(*) FROM held_certificates WHERE chain = ?")
                    try count.bind(chain, at: 1)
                    let held = try count.step() ? count.int64(0) : 0
                    guard held < Self.heldPerChain else {
                        try bump("refused_held", in: db)
                        return .failure(.tooManyHeld(Self.heldPerChain))
                    }
                    try insert(bundle, into: "held_certificates", chain: chain, now: now, db: db)
                    try bump("held_certificates_total", in: db)
                    return .success(.held)
                }
                try insert(bundle, into: "certificates", chain: chain, now: now, db: db)
                try promoteHeld(after: bundle, chain: chain, now: now, db: db)
                return .success(.stored)
            }
        }
    }

    /// Moves held successors whose links now check into the chain, one after another; a held
    /// certificate that does not link (a forger's, racing the farm's own) is dropped.
    private func promoteHeld(after first: CertificateBundle, chain: String, now: Int64, db: SQLiteConnection) throws {
        var current = first
        while true {
            let nextID = chain + ":" + String(current.number + 1)
            let candidates = try held(nextID, db: db)
            guard !candidates.isEmpty else { return }
            // Held certificates were verified on their own when they came: only the link and the
            // signer's continuity are left to check.
            let verifier = CertificateVerifier()
            let linked = candidates.first { candidate in
                verifier.linkFailures(candidate, previous: current).isEmpty
                    && verifier.continuityFailures(candidate, signer: verifier.signer(of: candidate), previous: current).isEmpty
            }
            let drop = try db.prepare("DELETE FROM held_certificates WHERE certificate_id = ?")
            try drop.bind(nextID, at: 1)
            try drop.step()
            try bump("dropped_held_certificates", by: Int64(candidates.count - (linked == nil ? 0 : 1)), in: db)
            guard let linked else { return }
            try insert(linked, into: "certificates", chain: chain, now: now, db: db)
            current = linked
        }
    }

    /// `certificates` keeps the `linked` column older databases have (every stored certificate
    /// is linked now); held rows are told apart by their digest, since an impostor may be held
    /// under the same id as the farm's own.
    private func insert(_ bundle: CertificateBundle, into table: String, chain: String, now: Int64, db: SQLiteConnection) throws {
        let (column, value) = table == "held_certificates" ? ("digest", bundle.digest) : ("linked", "1")
        let insert = try db.prepare(
            """
            INSERT OR IGNORE INTO \(table) (certificate_id, chain, number, jws, epcis, raw_series, received_at, \(column))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.bind(bundle.certificateID, at: 1)
        try insert.bind(chain, at: 2)
        try insert.bind(bundle.number, at: 3)
        try insert.bind(bundle.jws, at: 4)
        try insert.bind(bundle.epcis, at: 5)
        try insert.bind(bundle.rawSeries, at: 6)
        try insert.bind(now, at: 7)
        try insert.bind(value, at: 8)
        try insert.step()
    }

    /// Certificates of one gateway share the id prefix `urn:sawah:<gateway>:certificate:`.
    static func chainName(_ certificateID: String) -> String {
        guard let colon = certificateID.lastIndex(of: ":") else { return certificateID }
        return String(certificateID[..<colon])
    }

    /// The gateway id in a chain name `urn:sawah:<gateway>:certificate`, nil for another shape.
    static func gateway(ofChain chain: String) -> String? {
        let parts = chain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "urn", parts[1] == "sawah", parts[3] == "certificate", !parts[2].isEmpty else { return nil }
        return String(parts[2])
    }

    private func stored(_ id: String, db: SQLiteConnection) throws -> CertificateBundle? {
        try bundles(from: "certificates", id: id, db: db).first
    }

    private func held(_ id: String, db: SQLiteConnection) throws -> [CertificateBundle] {
        try bundles(from: "held_certificates", id: id, db: db)
    }

    private func bundles(from table: String, id: String, db: SQLiteConnection) throws -> [CertificateBundle] {
        let query = try db.prepare("SELECT number, jws, epcis, raw_series FROM \(table) WHERE certificate_id = ?")
        try query.bind(id, at: 1)
        var found: [CertificateBundle] = []
        while try query.step() {
            found.append(CertificateBundle(number: query.int64(0), certificateID: id, jws: query.text(1), epcis: query.blob(2), rawSeries: query.blob(3)))
        }
        return found
    }

    private func stored(chain: String, number: Int64, db: SQLiteConnection) throws -> CertificateBundle? {
        try stored(chain + ":" + String(number), db: db)
    }
}
