import Foundation
import SawahCore
import SawahTraceability
import TestSupport
import Testing

@testable import SawahClaims

/// An AWD claim as a UNTP Digital Conformity Credential: valid against the DCC schema,
/// signed by the gateway, its evidence digest covering exactly the bundle a verifier rebuilds.
@Suite struct AWDClaimIssuerTests {
    static let schema = ProjectPaths.standards + "/untp/dcc/untp-dcc-schema.json"

    func issued() throws -> (identity: GatewayIdentity, claim: (claimID: String, jws: String, evidence: [UInt8]), result: AWDResult) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let identity = try GatewayIdentity.create(at: directory.file("identity.pem"))
        let result = AWDEvaluator().evaluate(AWDEvaluatorTests.drained([(30, 35), (50, 55)]), season: AWDEvaluatorTests.season)
        let issuer = AWDClaimIssuer(
            identity: identity, gatewayID: "gw", issuerName: "Farm gateway gw",
            farm: (id: "https://id.gs1.org/414/9506000000007", name: "Demo farm"))
        let claim = try issuer.issue(
            number: 1, rules: AWDRules(), season: AWDEvaluatorTests.season, levelSensor: "tube", records: [],
            certificates: [.init(certificateID: "urn:sawah:gw:certificate:4", rawSeriesDigest: "sha256-abc")], result: result,
            createdAt: AWDEvaluatorTests.start + 111 * AWDEvaluatorTests.day)
        return (identity, claim, result)
    }

    @Test func theClaimValidatesAgainstTheDCCSchemaAndIsSignedByTheGateway() throws {
        let (identity, claim, _) = try issued()
        let jws = try CompactJWS(compact: claim.jws)
        try jws.verify(with: identity.privateKey.publicKey)
        let credential = try jws.payloadJSON()
        let problem = try JSONSchemaCheck.problem(credential, schema: Self.schema)
        #expect(problem == nil, "\(problem ?? "")")
        #expect(credential.value(at: "credentialSubject.assessorLevel") == .string("Self"))
        #expect(credential.value(at: "issuer.id") == .string(identity.did))
    }

    /// The signature checked by OpenSSL, which shares no code with ours; and a claim whose
    /// payload was changed after signing fails there too.
    @Test func openSSLVerifiesTheClaimsSignature() throws {
        let (identity, claim, _) = try issued()
        let problem = try OpenSSLSignatureCheck.problem(jws: claim.jws, key: identity.privateKey.publicKey)
        #expect(problem == nil, "\(problem ?? "")")
        var parts = claim.jws.split(separator: ".").map(String.init)
        let payload = String(decoding: Base64URL.decode(parts[1])!, as: UTF8.self).replacingOccurrences(of: "multiple-drainage", with: "single-drainage")
        parts[1] = Base64URL.encode(Array(payload.utf8))
        #expect(try OpenSSLSignatureCheck.problem(jws: parts.joined(separator: "."), key: identity.privateKey.publicKey) != nil)
    }

    @Test func theEvidenceDigestCoversTheBundleAVerifierRebuilds() throws {
        let (_, claim, result) = try issued()
        let credential = try CompactJWS(compact: claim.jws).payloadJSON()
        #expect(credential.value(at: "credentialSubject.auditableEvidence.hashDigest") == .string(DigestSRI.sha256Hex(claim.evidence)))
        // Re-run from the same readings and rules: the same bytes.
        let again = AWDEvaluator().evaluate(AWDEvaluatorTests.drained([(30, 35), (50, 55)]), season: AWDEvaluatorTests.season)
        let rebuilt = AWDClaimIssuer.evidence(
            rules: AWDRules(), season: AWDEvaluatorTests.season, levelSensor: "tube", records: [],
            certificates: [.init(certificateID: "urn:sawah:gw:certificate:4", rawSeriesDigest: "sha256-abc")], result: again)
        #expect(rebuilt == claim.evidence)
        // A changed reading or a changed parameter changes them.
        var readings = AWDEvaluatorTests.drained([(30, 35), (50, 55)])
        readings[40 * 144].levelCm = -20
        let changed = AWDEvaluator().evaluate(readings, season: AWDEvaluatorTests.season)
        #expect(
            AWDClaimIssuer.evidence(rules: AWDRules(), season: AWDEvaluatorTests.season, levelSensor: "tube", records: [], certificates: [], result: changed)
                != claim.evidence)
        var rules = AWDRules()
        rules.countedAfterHours = 96
        #expect(
            AWDClaimIssuer.evidence(rules: rules, season: AWDEvaluatorTests.season, levelSensor: "tube", records: [], certificates: [], result: result)
                != claim.evidence)
        let text = String(decoding: claim.evidence, as: UTF8.self)
        #expect(text.contains(#""regime":"multiple-drainage""#) && text.contains(#""id":"urn:sawah:rules:awd:1""#))
    }

    @Test func conformanceNeedsACountedDrainageAndCoverage() {
        let flooded = AWDEvaluator().evaluate(AWDEvaluatorTests.drained([]), season: AWDEvaluatorTests.season)
        #expect(!AWDClaimIssuer.conforms(flooded))
        let sparse = AWDEvaluator().evaluate(
            AWDEvaluatorTests.series { day in day >= 40 && day < 75 ? nil : (day >= 30 && day < 35 ? -12 : 5) }, season: AWDEvaluatorTests.season)
        #expect(sparse.countedPeriods == 1 && sparse.flags == [.lowCoverage] && !AWDClaimIssuer.conforms(sparse))
        let good = AWDEvaluator().evaluate(AWDEvaluatorTests.drained([(30, 35)]), season: AWDEvaluatorTests.season)
        #expect(AWDClaimIssuer.conforms(good))
    }
}
