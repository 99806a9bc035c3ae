import SawahJournal
import SawahTraceability

extension JournalReader {
    /// The certificate bundle of a sealed batch, rebuilt from the journal: the stored JWS and
    /// EPCIS document, and the raw series serialised again from the readings still there.
    /// The one reconstruction the verifier, the uplink and `certificates export` share, so the
    /// same damage gets the same name in all three.
    ///
    /// A key rotation (no lot) carries neither document nor readings. The series is streamed
    /// into its serialisation: a full batch's rows would be megabytes.
    public func bundle(of batch: StoredBatch) throws(JournalError) -> Result<CertificateBundle, BundleProblem> {
        var raw: [UInt8] = []
        var rows = 0
        if !batch.lot.isEmpty {
            var writer = RawSeries.Writer(capacity: Int(batch.readingCount))
            try forEachReading(of: batch) { writer.append(seq: $0.seq, reading: $0.reading) }
            raw = writer.bytes
            rows = writer.rows
        }
        let bundle = CertificateBundle(number: batch.number, certificateID: batch.certificateID, jws: batch.jws, epcis: batch.epcis, rawSeries: raw)
        guard !batch.lot.isEmpty else { return .success(bundle) }
        if Int64(rows) != batch.readingCount {
            return .failure(.readingsPruned(batch: batch.number, sealed: batch.readingCount, left: Int64(rows), rebuilt: bundle))
        }
        if DigestSRI.sha256(raw) != batch.rawDigest {
            return .failure(.readingsChanged(batch: batch.number, rebuilt: bundle))
        }
        return .success(bundle)
    }
}
