import SawahCore
import SawahJournal
import SawahTraceability

/// A journal with readings sealed as the real sealer seals them: each batch a credential
/// signed over the draft's own rows (SampleChain's lot and probe), so the verifier and a
/// credentials platform get as far as the digests.
public enum SignedJournal {
    /// `batches` batches of `perBatch` soil-temperature readings, sealed in order.
    public static func make(path: String, batches: Int, perBatch: Int = 5) throws -> Journal {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = (0..<(batches * perBatch)).map { index in
            Reading(
                sensor: "probe", quantity: "soil_temperature", value: 20 + Double(index % 40) / 4, unit: "CEL",
                observedAt: 1_796_000_000_000 + Int64(index) * 1_000, receivedAt: 1_796_000_000_000 + Int64(index) * 1_000, source: "farm/probe")
        }
        try journal.ingest.append(batch)
        let issuer = CertificateIssuer(identity: GatewayIdentity(privateKey: .init()))
        for _ in 0..<batches {
            _ = try journal.sealing.sealNext(lot: SampleChain.lot.id, sensors: ["probe"], maxReadings: perBatch, dueBefore: 0) { draft in
                let rows = draft.rows.map { RawSeries.Row(seq: $0.seq, reading: $0.reading) }
                let input = BatchInput(
                    gatewayID: "gw-test", number: draft.number, lot: SampleChain.lot, sensors: SampleChain.sensors, rows: rows,
                    start: rows.first!.reading.observedAt, end: rows.last!.reading.observedAt, createdAt: 1_796_000_100_000,
                    previous: draft.previous.map { PreviousCertificate(id: $0.id, jws: $0.jws) }, issuerName: "Sawah test farm")
                let bundle = try issuer.issue(input)
                return SealedBatch(
                    certificateID: bundle.certificateID, jws: bundle.jws, epcis: bundle.epcis,
                    rawDigest: DigestSRI.sha256(bundle.rawSeries), createdAt: 1_796_000_100_000)
            }
        }
        return journal
    }
}
