import FoundationEssentials
import SawahCore
import SawahTraceability

/// A claim as a claims platform receives it: one JSON object with the `vc+jwt` credential as
/// text, the evidence bundle base64-encoded (so the bytes its `hashDigest` covers arrive
/// unchanged) and, for a cold treatment, the ePhyto prefill:
/// `{"claimId": "urn:…:claim:1", "credential": "eyJ…", "evidence": "…", "ePhytoPrefill": {…}}`.
public struct ClaimTransfer: Sendable, Equatable {
    public var claimID: String
    public var jws: String
    public var evidence: [UInt8]
    public var ePhytoPrefill: [UInt8]?

    public static let mediaType = "application/json"
    /// The response header naming the digest of the claim a platform holds under an id.
    public static let digestHeader = "Sawah-Claim-Digest"

    public init(claimID: String, jws: String, evidence: [UInt8], ePhytoPrefill: [UInt8]?) {
        self.claimID = claimID
        self.jws = jws
        self.evidence = evidence
        self.ePhytoPrefill = ePhytoPrefill
    }

    /// `digestSRI` of the signed credential, which names the evidence's own digest: one claim,
    /// one value, for telling a resend from a different claim under the same id.
    public var digest: String { DigestSRI.sha256(Array(jws.utf8)) }

    public func json() -> [UInt8] {
        var members: [String: JSONValue] = [
            "claimId": .string(claimID), "credential": .string(jws), "evidence": .string(Data(evidence).base64EncodedString())
        ]
        if let prefill = ePhytoPrefill, let value = try? JSONValue.parse(prefill) { members["ePhytoPrefill"] = value }
        return Array(JSONText.serialize(.object(members)).utf8)
    }

    /// Reads a transferred claim; the error names the member that is missing or malformed.
    public init(json bytes: [UInt8]) throws(ClaimError) {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw .unreadable("claim: \(error.description)") }
        func text(_ key: String) throws(ClaimError) -> String {
            guard case .string(let value)? = json.value(at: key) else { throw .unreadable("claim: \"\(key)\" missing or not a string") }
            return value
        }
        guard let evidence = Data(base64Encoded: try text("evidence")) else { throw .unreadable("claim: \"evidence\" is not base64") }
        self.init(
            claimID: try text("claimId"), jws: try text("credential"), evidence: Array(evidence),
            ePhytoPrefill: json.value(at: "ePhytoPrefill").map { Array(JSONText.serialize($0).utf8) })
    }

    /// The certificate ids the evidence names (batches and records), for a platform to tell
    /// "not all here yet" from "wrong".
    public static func referencedCertificates(evidence: [UInt8]) -> [String] {
        guard let json = try? JSONValue.parse(evidence) else { return [] }
        var ids: [String] = []
        for key in ["certificates", "records"] {
            if case .array(let items)? = json.value(at: key) {
                for case .string(let id)? in items.map({ $0.value(at: "id") }) { ids.append(id) }
            }
        }
        return ids
    }
}
