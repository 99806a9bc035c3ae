import ArgumentParser
import Foundation
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

    func run() async throws {
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
        if !failures.isEmpty {
            print("FAILED: \(summary), signed by \(verdict.signer): \(failures.count) problems")
            for failure in failures { print("  \(failure)") }
            throw ExitCode(1)
        }
        if verdict.isAnchored {
            print(
                "VERIFIED: \(summary), signed by \(verdict.signer): every signature, digest, event hash and chain link holds; \(verdict.anchors.joined(separator: "; "))"
            )
            return
        }
        print("ISSUER UNVERIFIED: \(summary): every signature, digest, event hash and chain link holds, but the signer \(verdict.signer) is not anchored:")
        for problem in verdict.problems { print("  \(problem)") }
        throw ExitCode(3)
    }
}
