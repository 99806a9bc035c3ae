import Crypto
import Foundation
import SawahClaims
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahPlatform
@testable import SawahTraceability

/// The reference platform takes a claim only once the chain it rests on is there, and only if
/// it recomputes from that chain; a resend is recognised by its digest.
@Suite struct PlatformClaimTests {
    static let start: Int64 = 1_780_000_000_000
    static let day: Int64 = 86_400_000

    /// A plot kept flooded for 20 days (a reading every 3 hours), with its season records,
    /// signed as gateway `gw-test` seals it.
    static func chain(identity: GatewayIdentity) throws -> [CertificateBundle] {
        let issuer = CertificateIssuer(identity: identity)
        var bundles: [CertificateBundle] = []
        func previous() -> PreviousCertificate? { bundles.last.map { PreviousCertificate(id: $0.certificateID, jws: $0.jws) } }
        func record(_ stage: ChainRecord.SeasonStage, _ time: Int64) throws {
            bundles.append(
                try issuer.issueRecord(
                    .season(plot: "urn:plot:1", stage: stage, time: time), gatewayID: "gw-test", number: Int64(bundles.count + 1),
                    previous: previous(), issuerName: "Farm", timeZoneOffset: "+07:00", farm: nil, createdAt: time))
        }
        try record(.start, start)
        let rows = (0..<160).map { index in
            RawSeries.Row(
                seq: Int64(index + 1),
                reading: Reading(
                    sensor: "tube", quantity: "water_level", value: 5, unit: "CMT", observedAt: start + Int64(index) * 10_800_000,
                    receivedAt: start + Int64(index) * 10_800_000, source: "farm/tube"))
        }
        bundles.append(
            try issuer.issue(
                BatchInput(
                    gatewayID: "gw-test", number: 2, lot: SampleChain.lot,
                    sensors: ["tube": SensorDescription(deviceID: "urn:sawah:gw-test:sensor:tube", name: "tube", measurementTypes: [:])], rows: rows,
                    start: rows.first!.reading.observedAt, end: rows.last!.reading.observedAt, createdAt: start + 20 * day, previous: previous(),
                    issuerName: "Farm")))
        try record(.end, start + 20 * day)
        return bundles
    }

    static func claim(_ chain: [CertificateBundle], identity: GatewayIdentity, number: Int64, overstate: Bool = false) throws -> ClaimTransfer {
        var computed = try ClaimComputation.awd(ChainEvidence(chain: chain), plot: "urn:plot:1", levelSensor: "tube")
        if overstate { computed.result.countedPeriods = 1 }
        let issued = try AWDClaimIssuer(identity: identity, gatewayID: "gw-test", issuerName: "Farm", farm: (id: "urn:farm", name: "Farm")).issue(
            number: number, rules: computed.rules, season: computed.season, levelSensor: "tube", records: computed.records,
            certificates: computed.certificates, result: computed.result, createdAt: start + 21 * day)
        return ClaimTransfer(claimID: issued.claimID, jws: issued.jws, evidence: issued.evidence, ePhytoPrefill: nil)
    }

    @Test func aClaimWaitsForItsChainThenHoldsAndIsKeptOnce() throws {
        let (store, directory) = try PlatformStoreTests.store()
        defer { directory.remove() }
        let identity = GatewayIdentity(privateKey: .init())
        let chain = try Self.chain(identity: identity)
        let claim = try Self.claim(chain, identity: identity, number: 1)
        // The transfer form carries the evidence bytes unchanged.
        #expect(try ClaimTransfer(json: claim.json()) == claim)

        guard case .failure(.notYet(let missing)) = try store.accept(claim, now: 1) else {
            Issue.record("taken before its chain arrived")
            return
        }
        // The evidence names the batch first, then the season's start and end records.
        #expect(missing == [chain[1].certificateID, chain[0].certificateID, chain[2].certificateID])
        for bundle in chain { _ = try store.accept(bundle, now: 2) }
        guard case .success = try store.accept(claim, now: 3) else {
            Issue.record("a claim that holds was refused")
            return
        }
        guard case .failure(.duplicate(let digest)) = try store.accept(claim, now: 4) else {
            Issue.record("a resend was not recognised")
            return
        }
        #expect(digest == claim.digest)
        #expect(try store.statistics()["claims"] == 1)
    }

    @Test func aClaimThatDoesNotRecomputeIsRefusedWithTheDifference() throws {
        let (store, directory) = try PlatformStoreTests.store()
        defer { directory.remove() }
        let identity = GatewayIdentity(privateKey: .init())
        let chain = try Self.chain(identity: identity)
        for bundle in chain { _ = try store.accept(bundle, now: 2) }
        guard case .failure(.invalid(let problems)) = try store.accept(try Self.claim(chain, identity: identity, number: 2, overstate: true), now: 3) else {
            Issue.record("an overstated claim was taken")
            return
        }
        #expect(problems == ["claim urn:sawah:gw-test:claim:2: recomputed: result.countedPeriods: 1, found 0"], "\(problems)")
        var edited = try Self.claim(chain, identity: identity, number: 3)
        edited.evidence = Array(String(decoding: edited.evidence, as: UTF8.self).replacingOccurrences(of: "\"coverage\":1", with: "\"coverage\":0.9").utf8)
        guard case .failure(.invalid(let digestProblems)) = try store.accept(edited, now: 4) else {
            Issue.record("an edited evidence bundle was taken")
            return
        }
        #expect(digestProblems.first?.contains("evidence digest") == true, "\(digestProblems)")
        var misnamed = try Self.claim(chain, identity: identity, number: 4)
        misnamed.claimID = "urn:other:4"
        guard case .failure(.invalid(let idProblems)) = try store.accept(misnamed, now: 5) else {
            Issue.record("a claim id of another shape was taken")
            return
        }
        #expect(idProblems == ["the claim id urn:other:4 is not urn:sawah:<gateway>:claim:<number>"])
        #expect(try store.statistics()["rejected_claims"] == 2 && store.statistics()["claims"] == 0)
    }

    @Test(arguments: [
        ("{}", "\"evidence\" missing or not a string"),
        (#"{"claimId":"c","credential":"j","evidence":"%%"}"#, "\"evidence\" is not base64"),
        ("[", "claim: ")
    ])
    func aMalformedTransferIsNamed(body: String, expected: String) {
        #expect(throws: ClaimError.self) { try ClaimTransfer(json: Array(body.utf8)) }
        do { _ = try ClaimTransfer(json: Array(body.utf8)) } catch { #expect(error.description.contains(expected), "\(error)") }
    }
}
