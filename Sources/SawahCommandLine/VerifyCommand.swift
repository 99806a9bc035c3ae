import ArgumentParser
import Foundation
import SawahGateway
import SawahJournal
import SawahTraceability

/// `sawah verify`: checks the certificate chain offline, from the journal or from exported
/// bundles, and names every broken link.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify certificates: signatures, issuer key, digests, event hashes, raw series and the hash chain.")

    @OptionGroup var location: JournalLocation
    @Option(help: "A folder of exported bundles to verify instead of the journal.") var bundles: String?

    func run() throws {
        let failures: [VerificationFailure]
        let summary: String
        if let bundles {
            let found = try CertificateBundleFiles.read(from: bundles)
            guard !found.isEmpty else { throw ValidationError("no batch-*.vc.jwt in \(bundles)") }
            failures = CertificateVerifier().verifyChain(found)
            summary = "\(found.count) bundles in \(bundles) (batches \(found.first!.number)…\(found.last!.number))"
        } else {
            let report = try JournalVerifier(reader: try JournalReader(path: try location.path())).verify()
            failures = report.failures
            summary = "\(report.batches) batches, \(report.readings) readings in the journal"
        }
        if failures.isEmpty {
            print("VERIFIED: \(summary): every signature, digest, event hash and chain link holds")
            return
        }
        print("FAILED: \(summary): \(failures.count) problems")
        for failure in failures { print("  \(failure)") }
        throw ExitCode(1)
    }
}
