import SawahJournal
import SawahTraceability

extension DerivedCopy {
    /// The kept copy of batch `number` as the bundle a platform receives and a verifier checks.
    public func bundle(number: Int64) -> CertificateBundle {
        CertificateBundle(number: number, certificateID: certificateID, jws: jws, epcis: epcis, rawSeries: series)
    }
}
