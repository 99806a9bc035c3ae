import SawahCore
import SawahTraceability

/// A season or calibration record a claim rests on: its certificate id and the digest of its
/// signed JWS, as the next link of the chain names it.
public struct RecordReference: Sendable, Equatable {
    public var certificateID: String
    public var credentialDigest: String

    public init(certificateID: String, credentialDigest: String) {
        self.certificateID = certificateID
        self.credentialDigest = credentialDigest
    }

    /// The reference to a record link of the chain.
    public init(_ bundle: CertificateBundle) {
        self.init(certificateID: bundle.certificateID, credentialDigest: DigestSRI.sha256(Array(bundle.jws.utf8)))
    }

    static func json(_ records: [RecordReference]) -> JSONValue {
        .array(records.map { .object(["id": .string($0.certificateID), "digestSRI": .string($0.credentialDigest)]) })
    }
}
