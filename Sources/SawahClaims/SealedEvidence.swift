import SawahCore
import SawahTraceability

/// A sealed certificate a claim rests on: its id and the `digestSRI` of its raw series.
public struct SealedEvidence: Sendable, Equatable {
    public var certificateID: String
    public var rawSeriesDigest: String

    public init(certificateID: String, rawSeriesDigest: String) {
        self.certificateID = certificateID
        self.rawSeriesDigest = rawSeriesDigest
    }

    /// An evidence bundle's bytes: the rule profile with its values, what the claim is about
    /// (`subject`: a season, a lot), the certificates, and the result, serialised with
    /// `JSONText` so that a verifier re-running the rules rebuilds the same bytes.
    static func bundle(ruleProfile: JSONValue, subject: [String: JSONValue], certificates: [SealedEvidence], result: JSONValue) -> [UInt8] {
        var members = subject
        members["ruleProfile"] = ruleProfile
        members["certificates"] = .array(
            certificates.map { .object(["id": .string($0.certificateID), "rawSeriesDigest": .string($0.rawSeriesDigest)]) })
        members["result"] = result
        return Array(JSONText.serialize(.object(members)).utf8)
    }
}
