import SawahCore
import SawahTraceability

/// Checks a claim against the gateway's verified chain: its signature by a key of the chain,
/// its evidence digest, the rule profile's parameters against the published ones, and the
/// result recomputed from the sealed raw series and records, byte for byte. Every problem
/// names the claim and, for a difference, the first value that differs.
public struct ClaimVerifier: Sendable {
    let chain: ChainEvidence
    /// The DIDs that signed links of the chain: a claim must be signed by one of them.
    let issuers: Set<String>

    public init(chain: [CertificateBundle]) {
        self.chain = ChainEvidence(chain: chain)
        var issuers: Set<String> = []
        for bundle in chain {
            if let credential = try? CompactJWS(compact: bundle.jws).payloadJSON(), case .string(let did)? = credential.value(at: "issuer.id") {
                issuers.insert(did)
            }
        }
        self.issuers = issuers
    }

    /// The problems of one claim; empty when it holds.
    public func verify(claimID: String, jws: String, evidence: [UInt8]) -> [String] {
        var problems: [String] = []
        func fail(_ check: String, _ detail: String) { problems.append("claim \(claimID): \(check): \(detail)") }
        let credential: JSONValue
        do {
            let parsed = try CompactJWS(compact: jws)
            credential = try parsed.payloadJSON()
            guard case .string(let did)? = credential.value(at: "issuer.id") else { throw ClaimError.unreadable("no issuer.id") }
            try parsed.verify(with: try DIDKey.publicKey(from: did))
            if !issuers.contains(did) { fail("issuer", "signed by \(did), which signs no link of this chain") }
        } catch {
            fail("signature", "\(error)")
            return problems
        }
        if case .string(let id)? = credential.value(at: "id"), id != claimID { fail("credential", "id is \(id) (a claim stored under another name?)") }
        let digest = DigestSRI.sha256Hex(evidence)
        if credential.value(at: "credentialSubject.auditableEvidence.hashDigest") != .string(digest) {
            fail(
                "evidence digest",
                "the evidence bundle hashes to \(digest), the credential signed \(credential.value(at: "credentialSubject.auditableEvidence.hashDigest").map { JSONText.serialize($0) } ?? "nothing")"
            )
            return problems
        }
        guard let stated = try? JSONValue.parse(evidence) else {
            fail("evidence", "not JSON")
            return problems
        }
        do {
            let recomputed = try recompute(stated, fail: fail)
            if recomputed != evidence {
                let difference = (try? JSONValue.parse(recomputed)).flatMap { JSONValue.firstDifference(stated, $0, path: "") } ?? "the bytes differ"
                fail("recomputed", difference)
            }
        } catch {
            fail("recomputed", error.description)
        }
        return problems
    }

    /// The evidence bundle rebuilt from the chain, for the rule profile the claim names.
    private func recompute(_ stated: JSONValue, fail: (String, String) -> Void) throws(ClaimError) -> [UInt8] {
        func text(_ path: String) throws(ClaimError) -> String {
            guard case .string(let value)? = stated.value(at: path) else { throw .unreadable("the evidence has no \(path)") }
            return value
        }
        func time(_ path: String) throws(ClaimError) -> Int64 {
            let value = try text(path)
            guard let millis = EPCISTimestamp.milliseconds(value) else { throw .unreadable("\(path) is not a timestamp: \(value)") }
            return millis
        }
        if case .string(AWDRules.profileID)? = stated.value(at: "ruleProfile.id") {
            let published = AWDRules()
            if let difference = JSONValue.firstDifference(published.json, stated.value(at: "ruleProfile") ?? .null, path: "ruleProfile") {
                fail("rule profile", "\(AWDRules.profileID) publishes \(difference)")
            }
            return try ClaimComputation.awd(
                chain, plot: try text("season.plot"), levelSensor: try text("levelSensor"), seasonStart: try time("season.start"), rules: published
            ).evidence
        }
        if case .string(ColdTreatmentSchedule.profileID)? = stated.value(at: "ruleProfile.profile") {
            guard let schedule = ColdTreatmentSchedule(json: stated.value(at: "ruleProfile") ?? .null) else {
                throw .unreadable("the evidence's schedule is not a cold-treatment schedule")
            }
            if schedule.id == ColdTreatmentSchedule.t107a.id,
                let difference = JSONValue.firstDifference(ColdTreatmentSchedule.t107a.json, schedule.json, path: "ruleProfile")
            {
                fail("rule profile", "schedule \(schedule.id) is published with \(difference)")
            }
            guard case .array(let probes)? = stated.value(at: "result.probes") else { throw .unreadable("the evidence names no probes") }
            var tagged: [(sensor: String, placement: TreatmentProbe.Placement)] = []
            for probe in probes {
                guard case .string(let id)? = probe.value(at: "id"), case .string(let placement)? = probe.value(at: "placement"),
                    let tag = TreatmentProbe.Placement(rawValue: placement)
                else { throw .unreadable("a probe of the evidence has no id or placement") }
                tagged.append((id, tag))
            }
            return try ClaimComputation.coldTreatment(
                chain, lot: try text("lot"), probes: tagged, schedule: schedule, window: try time("window.from")..<(try time("window.to"))
            ).evidence
        }
        throw .unreadable("the evidence names no rule profile this build knows (\(stated.value(at: "ruleProfile").map { JSONText.serialize($0) } ?? "none"))")
    }
}
