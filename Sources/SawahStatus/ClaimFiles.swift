import Foundation
import SawahJournal
import SawahTraceability

/// Claims on disk beside the certificate bundles they rest on, for a third party to check
/// with `sawah verify --bundles DIR --claims`: `claim-000001.vc.jwt` (the signed credential),
/// `claim-000001.evidence.json` (the bundle its hashDigest covers) and, for a cold treatment,
/// `claim-000001.ephyto.json` (the prefill).
public enum ClaimFiles {
    /// Every claim file's name starts so.
    public static let prefix = "claim-"

    static func stem(_ number: Int64) -> String {
        let digits = String(number)
        return "claim-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Writes `claim`'s files into `directory`; returns their paths.
    @discardableResult
    public static func write(_ claim: StoredClaim, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = "\(directory)/\(stem(claim.number))"
        var written = [base + ".vc.jwt", base + ".evidence.json"]
        try Data(claim.jws.utf8).write(to: URL(fileURLWithPath: written[0]))
        try Data(claim.evidence).write(to: URL(fileURLWithPath: written[1]))
        if let prefill = claim.prefill {
            written.append(base + ".ephyto.json")
            try Data(prefill).write(to: URL(fileURLWithPath: written[2]))
        }
        return written
    }

    /// Every claim in `directory`, by number: the credential and its evidence bundle, both
    /// required. The claim id is the credential's own (the verifier checks the signature).
    public static func read(from directory: String) throws -> [StoredClaim] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("claim-") && $0.hasSuffix(".vc.jwt") }
        var claims: [StoredClaim] = []
        for name in names {
            let stem = String(name.dropLast(".vc.jwt".count))
            guard let number = Int64(stem.dropFirst("claim-".count)), number > 0 else {
                throw BundleFileError(description: "\(directory)/\(name): expected claim-NNNNNN.vc.jwt")
            }
            let jws = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let evidencePath = "\(directory)/\(stem).evidence.json"
            guard let evidence = FileManager.default.contents(atPath: evidencePath) else {
                throw BundleFileError(description: "\(evidencePath): missing; a claim is checked against its evidence bundle")
            }
            let prefill = FileManager.default.contents(atPath: "\(directory)/\(stem).ephyto.json").map { Array($0) }
            claims.append(
                StoredClaim(
                    number: number, claimID: Self.claimID(jws) ?? stem, kind: "", subject: "", createdAt: 0, jws: jws, evidence: Array(evidence),
                    prefill: prefill))
        }
        return claims.sorted { $0.number < $1.number }
    }

    /// The credential's `id`, unverified (the verifier checks it).
    static func claimID(_ jws: String) -> String? {
        guard let payload = try? CompactJWS(compact: jws).payloadJSON(), case .string(let id)? = payload.value(at: "id") else { return nil }
        return id
    }
}
