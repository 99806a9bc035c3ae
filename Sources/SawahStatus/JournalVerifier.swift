import SawahCore
import SawahJournal
import SawahTraceability

/// Verifies the certificate chain stored in a journal: every bundle as `CertificateVerifier`
/// checks it, with the raw series rebuilt from the readings still in the journal
/// (`JournalReader.bundle(of:)`), so a reading changed or pruned after sealing is found and named.
public struct JournalVerifier {
    let reader: JournalReader

    public init(reader: JournalReader) {
        self.reader = reader
    }

    public struct Report: Sendable {
        public var batches: Int
        public var readings: Int64
        public var failures: [VerificationFailure]
        /// The chain as verified, for the issuer's trust evaluation (`IssuerTrust`).
        public var bundles: [CertificateBundle]
    }

    public func verify() throws(JournalError) -> Report {
        let stored = try reader.batches()
        var bundles: [CertificateBundle] = []
        var failures: [VerificationFailure] = []
        var readings: Int64 = 0
        for batch in stored {
            switch try reader.bundle(of: batch) {
            case .success(let bundle):
                readings += batch.lot.isEmpty ? 0 : batch.readingCount
                bundles.append(bundle)
            case .failure(let problem):
                if case .readingsPruned(_, _, let left, _) = problem {
                    readings += left
                    // The chain check below cannot tell a pruned series from a changed one.
                    failures.append(VerificationFailure(batch: batch.number, check: problem.check, detail: problem.description))
                } else {
                    readings += batch.readingCount
                }
                // Still checked for its signature and its link: a damaged batch must not hide
                // a break in the chain around it. A changed series is named by that check.
                bundles.append(problem.rebuilt)
            }
        }
        failures += CertificateVerifier().verifyChain(bundles)
        return Report(batches: stored.count, readings: readings, failures: failures, bundles: bundles)
    }
}
