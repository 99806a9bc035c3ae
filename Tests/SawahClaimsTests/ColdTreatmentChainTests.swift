import Crypto
import SawahCore
import SawahTraceability
import Testing

@testable import SawahClaims

/// A cold treatment computed from a chain: the calibration records are read from it and
/// applied, and the verifier recomputes the claim from the same records and raw series.
@Suite struct ColdTreatmentChainTests {
    typealias Fixture = ColdTreatmentEvaluatorTests
    static let probes: [(sensor: String, placement: TreatmentProbe.Placement)] = [("p1", .pulp), ("p2", .pulp), ("p3", .pulp), ("a1", .air)]
    static let window = Fixture.start..<(Fixture.start + 400 * Fixture.hour)

    /// Calibrations a day before the treatment (`ice` for p1, 0 for the others), then hourly
    /// readings as `Fixture.samples` gives them, one batch a day.
    func chain(
        p1Ice: Double, identity: GatewayIdentity = GatewayIdentity(privateKey: P256.Signing.PrivateKey()),
        _ temperature: @escaping (String, Int) -> Double?
    ) throws -> ClaimChain {
        var chain = ClaimChain(identity: identity)
        for probe in Self.probes {
            try chain.record(
                .calibration(
                    sensor: probe.sensor, deviceID: "urn:sawah:gw:sensor:\(probe.sensor)", iceReadingCelsius: probe.sensor == "p1" ? p1Ice : 0,
                    time: Fixture.start - 24 * Fixture.hour))
        }
        let samples = Fixture.samples(hours: 400, temperature)
        try chain.seal(samples.map { ($0.probe, "temperature", "CEL", $0.time, $0.celsius) }, perBatch: 96)
        return chain
    }

    func claim(_ chain: ClaimChain) throws -> (ClaimComputation.ColdTreatment, (claimID: String, jws: String, evidence: [UInt8], ePhytoPrefill: JSONValue)) {
        let computed = try ClaimComputation.coldTreatment(
            ChainEvidence(chain: chain.bundles), lot: ClaimChain.lot.id, probes: Self.probes, schedule: .t107a, window: Self.window)
        let issuer = ColdTreatmentClaimIssuer(
            identity: chain.identity, gatewayID: "gw", issuerName: "Packhouse", exporter: (id: "urn:exporter", name: "Exporter"))
        let claim = try issuer.issue(
            number: 1, schedule: .t107a, lot: ClaimChain.lot.id, window: computed.window, records: computed.records,
            certificates: computed.certificates, result: computed.result, createdAt: Self.window.upperBound)
        return (computed, claim)
    }

    /// p1 reads 1.3 °C in the cold room but 0.3 °C in ice: calibrated, 1.0 °C meets the
    /// first row (≤ 1.11 °C, 12 days). Uncalibrated it would not.
    @Test func theCalibrationRecordDecidesTheRowAndTheVerifierAgrees() throws {
        let warmP1: (String, Int) -> Double? = { probe, hour in hour < 24 ? 5 : (probe == "p1" ? 1.3 : 0.8) }
        let calibrated = try chain(p1Ice: 0.3, warmP1)
        let (computed, claim) = try claim(calibrated)
        #expect(computed.result.row == .init(maxCelsius: 1.11, days: 12), "\(computed.result)")
        #expect(computed.records.count == 4 && computed.result.probes.first { $0.id == "p1" }?.iceReadingCelsius == 0.3)
        #expect(computed.result.probes.allSatisfy { probe in computed.records.contains { $0.credentialDigest == probe.calibrationHash } })
        #expect(CertificateVerifier().verifyChain(calibrated.bundles).isEmpty)
        #expect(ClaimVerifier(chain: calibrated.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence).isEmpty)

        let uncalibrated = try chain(p1Ice: 0, identity: calibrated.identity, warmP1)
        let (other, _) = try self.claim(uncalibrated)
        #expect(other.result.row == .init(maxCelsius: 1.67, days: 14), "\(other.result)")
        // The claim checked against a chain whose calibration said otherwise: named.
        let problems = ClaimVerifier(chain: uncalibrated.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(problems.count == 1 && problems[0].contains("recomputed: "), "\(problems)")
    }

    @Test func aProbeWithoutACalibrationBeforeTheWindowIsRefused() throws {
        var chain = ClaimChain()
        try chain.record(.calibration(sensor: "p1", deviceID: "urn:sawah:gw:sensor:p1", iceReadingCelsius: 0, time: Fixture.start - 1))
        // p2 calibrated only after the treatment began: not good enough.
        try chain.record(.calibration(sensor: "p2", deviceID: "urn:sawah:gw:sensor:p2", iceReadingCelsius: 0, time: Fixture.start + 1))
        do {
            _ = try ClaimComputation.coldTreatment(
                ChainEvidence(chain: chain.bundles), lot: ClaimChain.lot.id, probes: Self.probes, schedule: .t107a, window: Self.window)
            Issue.record("computed without calibrations")
        } catch {
            #expect(error.description.contains("for probe a1, p2, p3"), "\(error)")
        }
    }

    @Test func aChangedScheduleRowIsNamed() throws {
        let chain = try chain(p1Ice: 0, Fixture.cooled())
        var schedule = ColdTreatmentSchedule.t107a
        schedule.rows[0].days = 10
        let computed = try ClaimComputation.coldTreatment(
            ChainEvidence(chain: chain.bundles), lot: ClaimChain.lot.id, probes: Self.probes, schedule: schedule, window: Self.window)
        let issuer = ColdTreatmentClaimIssuer(
            identity: chain.identity, gatewayID: "gw", issuerName: "Packhouse", exporter: (id: "urn:exporter", name: "Exporter"))
        let claim = try issuer.issue(
            number: 1, schedule: schedule, lot: ClaimChain.lot.id, window: computed.window, records: computed.records,
            certificates: computed.certificates, result: computed.result, createdAt: 1)
        let problems = ClaimVerifier(chain: chain.bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
        #expect(
            problems.contains("claim urn:sawah:gw:claim:1: rule profile: schedule usda-ppq-t107-a is published with ruleProfile.rows[0].days: 12, found 10"),
            "\(problems)")
    }
}
