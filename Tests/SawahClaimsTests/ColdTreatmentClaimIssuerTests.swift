import Foundation
import SawahCore
import SawahTraceability
import TestSupport
import Testing

@testable import SawahClaims

/// A cold treatment as a UNTP Digital Conformity Credential and an ePhyto prefill.
@Suite struct ColdTreatmentClaimIssuerTests {
    func issue(_ samples: [ColdTreatmentEvaluator.Sample]) throws -> (
        GatewayIdentity, (claimID: String, jws: String, evidence: [UInt8], ePhytoPrefill: JSONValue)
    ) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let identity = try GatewayIdentity.create(at: directory.file("identity.pem"))
        let probes = ColdTreatmentEvaluatorTests.probes()
        let result = ColdTreatmentEvaluator(schedule: .t107a).evaluate(samples, probes: probes)
        let issuer = ColdTreatmentClaimIssuer(
            identity: identity, gatewayID: "gw", issuerName: "Packhouse gateway", exporter: (id: "https://id.gs1.org/417/9506000000021", name: "Exporter"))
        let claim = try issuer.issue(
            number: 2, schedule: .t107a, lot: "urn:lot:fruit:7",
            window: ColdTreatmentEvaluatorTests.start..<(ColdTreatmentEvaluatorTests.start + 400 * ColdTreatmentEvaluatorTests.hour), records: [],
            certificates: [.init(certificateID: "urn:sawah:gw:certificate:9", rawSeriesDigest: "sha256-xyz")],
            result: result, createdAt: ColdTreatmentEvaluatorTests.start + 400 * ColdTreatmentEvaluatorTests.hour)
        return (identity, claim)
    }

    @Test func aMetTreatmentValidatesAgainstTheDCCSchemaWithItsEvidenceAndPrefill() throws {
        let (identity, claim) = try issue(ColdTreatmentEvaluatorTests.samples(hours: 320, ColdTreatmentEvaluatorTests.cooled()))
        let jws = try CompactJWS(compact: claim.jws)
        try jws.verify(with: identity.privateKey.publicKey)
        #expect(try OpenSSLSignatureCheck.problem(jws: claim.jws, key: identity.privateKey.publicKey) == nil)
        let credential = try jws.payloadJSON()
        let problem = try JSONSchemaCheck.problem(credential, schema: AWDClaimIssuerTests.schema)
        #expect(problem == nil, "\(problem ?? "")")
        #expect(credential.value(at: "credentialSubject.auditableEvidence.hashDigest") == .string(DigestSRI.sha256Hex(claim.evidence)))
        guard case .array(let assessments)? = credential.value(at: "credentialSubject.assessment") else {
            Issue.record("no assessment")
            return
        }
        #expect(assessments.map { $0.value(at: "conformance") } == [.bool(true)])
        #expect(assessments.first?.value(at: "conformityTopic") == .string("governance.compliance"))
        let text = String(decoding: claim.evidence, as: UTF8.self)
        #expect(text.contains(#""calibrationHash":"sha256-p1""#) && text.contains(#""id":"usda-ppq-t107-a""#))
        #expect(claim.ePhytoPrefill.value(at: "temperatureCelsius") == .number(1.11) && claim.ePhytoPrefill.value(at: "durationDays") == .number(12))
        guard case .string(let summary)? = claim.ePhytoPrefill.value(at: "additionalInformation") else {
            Issue.record("no summary")
            return
        }
        #expect(summary.contains("usda-ppq-t107-a") && summary.contains(DigestSRI.sha256Hex(claim.evidence)) && summary.contains("3 calibrated pulp probes"))
    }

    @Test func anUnmetTreatmentSaysSoEverywhere() throws {
        let samples = ColdTreatmentEvaluatorTests.samples(hours: 400) { probe, hour in
            probe == "p3" && hour > 120 ? nil : ColdTreatmentEvaluatorTests.cooled()(probe, hour)
        }
        let (_, claim) = try issue(samples)
        let credential = try CompactJWS(compact: claim.jws).payloadJSON()
        #expect(try JSONSchemaCheck.problem(credential, schema: AWDClaimIssuerTests.schema) == nil)
        guard case .array(let assessments)? = credential.value(at: "credentialSubject.assessment") else {
            Issue.record("no assessment")
            return
        }
        #expect(assessments.map { $0.value(at: "conformance") } == [.bool(false)])
        #expect(claim.ePhytoPrefill.value(at: "durationDays") == .null)
        guard case .string(let summary)? = claim.ePhytoPrefill.value(at: "additionalInformation") else {
            Issue.record("no summary")
            return
        }
        #expect(summary.contains("NOT completed (not-met)"))
    }
}
