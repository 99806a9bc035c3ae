import ArgumentParser
import Foundation
import SawahClaims
import SawahJournal
import SawahStatus
import SawahSystem
import SawahTraceability

/// `sawah verify`: checks the certificate chain offline, from the journal or from exported
/// bundles, names every broken link, and says who signed it and what, if anything, anchors
/// that signer. Exit status: 0 VERIFIED (intact and anchored), 1 FAILED (a broken link),
/// 3 ISSUER UNVERIFIED (intact, but no anchor given or the anchors do not bind the signer).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify certificates: signatures, issuer key, digests, event hashes, raw series, the hash chain, and the issuer against trust anchors.")

    @OptionGroup var location: JournalLocation
    @Option(help: "A folder of exported bundles to verify instead of the journal.") var bundles: String?
    @Option(help: "The issuer the chain must start from: its DID, or the RFC 7638 thumbprint of its key.") var issuer: String?
    @Option(help: "PEM file of CA certificates: the first certificate's x5c must validate to one of them (and bind a did:web issuer's domain).")
    var caBundle: String?
    @Flag(help: "Also recompute every claim from the chain's raw series and records with its rule profile, and compare byte for byte.")
    var claims = false
    @Option(help: "A folder of a platform's derived copies (sawah disclosures export) to check on their own, and against --bundles when given.")
    var derived: String?
    @Option(help: "The platform's pseudonym key (hex, sawah disclosures key), to check pseudonymised copies fully.") var platformKey: String?

    func run() async throws {
        if let derived {
            try checkDerived(derived)
            return
        }
        var trust = IssuerTrust(expectedIssuer: issuer)
        if let caBundle {
            do { trust.roots = try IssuerTrust.caBundle(at: caBundle) } catch { throw ValidationError("\(error)") }
        }
        let failures: [VerificationFailure]
        let chain: [CertificateBundle]
        let summary: String
        if let bundles {
            let found = try CertificateBundleFiles.read(from: bundles)
            guard !found.isEmpty else { throw ValidationError("no batch-*.vc.jwt in \(bundles)") }
            failures = CertificateVerifier().verifyChain(found)
            chain = found
            summary = "\(found.count) bundles in \(bundles) (batches \(found.first!.number)…\(found.last!.number))"
        } else {
            let report = try JournalVerifier(reader: try JournalReader(path: try location.path())).verify()
            failures = report.failures
            chain = report.bundles
            summary = "\(report.batches) batches, \(report.readings) readings in the journal"
        }
        let verdict = await trust.evaluate(chain)
        // The chain's verdict first, then the claims', then the worse exit status of the two.
        let status = report(failures: failures, summary: summary, verdict: verdict)
        let claimsHold = try claims ? checkClaims(chain: chain) : true
        if status != 0 || !claimsHold { throw ExitCode(claimsHold ? status : 1) }
    }

    /// Prints the chain's verdict; returns its exit status (0, 1 or 3).
    func report(failures: [VerificationFailure], summary: String, verdict: IssuerVerdict) -> Int32 {
        if !failures.isEmpty {
            print("FAILED: \(summary), signed by \(verdict.signer): \(failures.count) problems")
            for failure in failures { print("  \(failure)") }
            return 1
        }
        if verdict.isAnchored {
            print(
                "VERIFIED: \(summary), signed by \(verdict.signer): every signature, digest, event hash and chain link holds; \(verdict.anchors.joined(separator: "; "))"
            )
            return 0
        }
        print("ISSUER UNVERIFIED: \(summary): every signature, digest, event hash and chain link holds, but the signer \(verdict.signer) is not anchored:")
        for problem in verdict.problems { print("  \(problem)") }
        return 3
    }

    /// Recomputes every claim (from the journal, or the claim files beside the bundles) and
    /// prints each verdict; returns whether every claim holds.
    func checkClaims(chain: [CertificateBundle]) throws -> Bool {
        let stored = try bundles.map { try ClaimFiles.read(from: $0) } ?? JournalReader(path: try location.path()).claims()
        let verifier = ClaimVerifier(chain: chain)
        var problems: [String] = []
        for claim in stored { problems += verifier.verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence) }
        if problems.isEmpty {
            print("CLAIMS VERIFIED: \(stored.count) claims recomputed from the chain's raw series and records, byte for byte")
            return true
        }
        print("CLAIMS FAILED: \(problems.count) problems in \(stored.count) claims")
        for problem in problems { print("  \(problem)") }
        return false
    }
}
