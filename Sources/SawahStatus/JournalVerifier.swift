import SawahCore
import SawahJournal
import SawahTraceability

/// Verifies the certificate chain stored in a journal: every bundle as `CertificateVerifier`
/// checks it, with the raw series rebuilt from the readings still in the journal, so a reading
/// changed after sealing is found and named.
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
            let rows = try reader.readings(of: batch).map { RawSeries.Row(seq: $0.seq, reading: $0.reading) }
            readings += Int64(rows.count)
            if Int64(rows.count) != batch.readingCount {
                failures.append(
                    VerificationFailure(
                        batch: batch.number, check: "readings",
                        detail:
                            "the batch sealed \(batch.readingCount) readings (seq \(batch.firstSeq)…\(batch.lastSeq)), the journal now holds \(rows.count) of them"
                    ))
            }
            bundles.append(Self.bundle(batch, rows: rows))
        }
        failures += CertificateVerifier().verifyChain(bundles)
        return Report(batches: stored.count, readings: readings, failures: failures, bundles: bundles)
    }

    public static func bundle(_ batch: StoredBatch, rows: [RawSeries.Row]) -> CertificateBundle {
        // A key rotation (no lot) carries neither document nor readings.
        CertificateBundle(
            number: batch.number, certificateID: batch.certificateID, jws: batch.jws, epcis: batch.epcis,
            rawSeries: batch.lot.isEmpty ? [] : RawSeries.serialize(rows))
    }
}
