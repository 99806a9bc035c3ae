import Crypto
import SawahCore
import SawahTraceability
import Testing

@testable import SawahClaims

/// Claims computed from a signed chain and recomputed by the verifier: what holds, and each
/// way a claim can be wrong, named.
@Suite struct ClaimVerifierTests {
    static let drainages: [(from: Double, to: Double)] = [(30, 35), (50, 55)]

    func awdClaim(chain: ClaimChain, rules: AWDRules = AWDRules(), signer: GatewayIdentity? = nil) throws -> (
        computed: ClaimComputation.AWD, claim: (claimID: String, jws: String, evidence: [UInt8])
    ) {
        let computed = try ClaimComputation.awd(ChainEvidence(chain: chain.bundles), plot: "urn:plot:1", levelSensor: "tube", rules: rules)
        let issuer = AWDClaimIssuer(identity: signer ?? chain.identity, gatewayID: "gw", issuerName: "Test farm", farm: (id: "urn:farm", name: "Farm"))
        let claim = try issuer.issue(
            number: 1, rules: rules, season: computed.season, levelSensor: "tube", records: computed.records,
            certificates: computed.certificates, result: computed.result, createdAt: AWDEvaluatorTests.season.end + 1)
        return (computed, claim)
    }

    @Test func anAWDClaimFromTheChainIsRecomputedByteForByte() throws {
        let chain = try ClaimChain.awdSeason(AWDEvaluatorTests.drained(Self.drainages))
        #expect(CertificateVerifier().verifyChain(chain.bundles).isEmpty, "records and batches form one verifiable chain")
        let (computed, claim) = try awdClaim(chain: chain)
        #expect(computed.result.regime == .multipleDrainage && computed.result.countedPeriods == 2)
        #expect(computed.season == AWDEvaluatorTests.season, "the season comes from the start, harvest and end records")
        #expect(computed.records.count == 3 && computed.certificates.count == 100)
        #expect(computed.result.readings == 14_400)
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The gateway (or anyone with its key) re-sealing a changed reading: the chain still
    /// verifies, the claim does not, and the difference is named.
    @Test func aReadingChangedAfterTheClaimIsNamed() throws {
        let identity = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let honest = try ClaimChain.awdSeason(AWDEvaluatorTests.drained(Self.drainages), identity: identity)
        let (_, claim) = try awdClaim(chain: honest)
        // Day 52 flooded again: the second drainage is cut in two short ones.
        var levels = AWDEvaluatorTests.drained(Self.drainages)
        for index in levels.indices
        where levels[index].time >= AWDEvaluatorTests.start + 52 * AWDEvaluatorTests.day
            && levels[index].time < AWDEvaluatorTests.start + 53 * AWDEvaluatorTests.day
        {
            levels[index].levelCm = 5
        }
        let rewritten = try ClaimChain.awdSeason(levels, identity: identity)
        #expect(CertificateVerifier().verifyChain(rewritten.bundles).isEmpty)
        let problems = ClaimVerifier(chain: rewritten.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("claim urn:sawah:gw:claim:1: recomputed: certificates[52].rawSeriesDigest") == true, "\(problems)")
    }

    @Test func aClaimWithAnotherRuleParameterIsNamed() throws {
        let chain = try ClaimChain.awdSeason(AWDEvaluatorTests.drained(Self.drainages))
        var rules = AWDRules()
        rules.countedAfterHours = 24
        let (_, claim) = try awdClaim(chain: chain, rules: rules)
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(
            problems.contains(
                "claim urn:sawah:gw:claim:1: rule profile: urn:sawah:rules:awd:1 publishes ruleProfile.parameters.countedAfterHours: 72, found 24"),
            "\(problems)")
    }

    @Test func anEditedEvidenceBundleFailsItsDigest() throws {
        let chain = try ClaimChain.awdSeason(AWDEvaluatorTests.drained(Self.drainages))
        let (_, claim) = try awdClaim(chain: chain)
        let edited = Array(String(decoding: claim.evidence, as: UTF8.self).replacingOccurrences(of: #""countedPeriods":2"#, with: #""countedPeriods":3"#).utf8)
        #expect(edited != claim.evidence)
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: edited)
        #expect(problems.count == 1 && problems[0].contains("evidence digest: the evidence bundle hashes to"), "\(problems)")
    }

    /// A claim whose result the issuer overstated and signed: digest fine, recomputation not.
    @Test func anOverstatedResultIsNamed() throws {
        let chain = try ClaimChain.awdSeason(AWDEvaluatorTests.drained([(30, 35)]))
        var (computed, _) = try awdClaim(chain: chain)
        computed.result.countedPeriods = 2
        computed.result.regime = .multipleDrainage
        let issuer = AWDClaimIssuer(identity: chain.identity, gatewayID: "gw", issuerName: "Test farm", farm: (id: "urn:farm", name: "Farm"))
        let claim = try issuer.issue(
            number: 1, rules: computed.rules, season: computed.season, levelSensor: "tube", records: computed.records,
            certificates: computed.certificates, result: computed.result, createdAt: 1)
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(problems == ["claim urn:sawah:gw:claim:1: recomputed: result.countedPeriods: 2, found 1"], "\(problems)")
    }

    @Test func aClaimSignedByAKeyOutsideTheChainIsNamed() throws {
        let chain = try ClaimChain.awdSeason(AWDEvaluatorTests.drained(Self.drainages))
        let stranger = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let (_, claim) = try awdClaim(chain: chain, signer: stranger)
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(problems == ["claim urn:sawah:gw:claim:1: issuer: signed by \(stranger.did), which signs no link of this chain"], "\(problems)")
    }

    @Test func aSeasonWithoutItsEndRecordCannotBeClaimed() throws {
        var chain = ClaimChain()
        try chain.record(.season(plot: "urn:plot:1", stage: .start, time: AWDEvaluatorTests.start))
        try chain.seal(AWDEvaluatorTests.drained([]).prefix(500).map { ("tube", "water_level", "CMT", $0.time, $0.levelCm) }, perBatch: 144)
        #expect(throws: ClaimError.self) { try ClaimComputation.awd(ChainEvidence(chain: chain.bundles), plot: "urn:plot:1", levelSensor: "tube") }
        do {
            _ = try ClaimComputation.awd(ChainEvidence(chain: chain.bundles), plot: "urn:plot:1", levelSensor: "tube")
        } catch {
            #expect(error.description.contains("has no end record yet: run sawah season end --plot urn:plot:1"))
        }
        #expect(throws: ClaimError.self) { try ClaimComputation.awd(ChainEvidence(chain: chain.bundles), plot: "urn:plot:2", levelSensor: "tube") }
    }

    /// Two seasons of one plot: a claim on the first is still recomputed from the first.
    @Test func aClaimOnAnEarlierSeasonStillHolds() throws {
        var chain = try ClaimChain.awdSeason(AWDEvaluatorTests.drained(Self.drainages))
        let (_, claim) = try awdClaim(chain: chain)
        try chain.record(.season(plot: "urn:plot:1", stage: .start, time: AWDEvaluatorTests.season.end + AWDEvaluatorTests.day))
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(problems.isEmpty, "\(problems)")
    }
}
