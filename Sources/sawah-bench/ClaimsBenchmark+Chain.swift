import Foundation
import SawahClaims
import SawahCore
import SawahSystem
import SawahTraceability

extension ClaimsBenchmark {
    /// The season as the gateway holds it: a start record, the readings sealed 5,000 a batch
    /// (the default `seal_max_readings`), harvest and end records. Built once, not timed.
    static func chain(_ readings: [LevelReading], season: RiceSeason, identity: GatewayIdentity) throws -> [CertificateBundle] {
        let issuer = CertificateIssuer(identity: identity)
        let lot = LotDescription(id: "urn:lot:bench", name: "Bench", plot: season.plot, farm: nil, timeZoneOffset: "+07:00")
        let sensors = ["tube": SensorDescription(deviceID: "urn:sawah:bench:sensor:tube", name: "tube", measurementTypes: ["water_level": "Length"])]
        var bundles: [CertificateBundle] = []
        func previous() -> PreviousCertificate? { bundles.last.map { PreviousCertificate(id: $0.certificateID, jws: $0.jws) } }
        func record(_ stage: ChainRecord.SeasonStage, _ time: Int64) throws {
            bundles.append(
                try issuer.issueRecord(
                    .season(plot: season.plot, stage: stage, time: time), gatewayID: "bench", number: Int64(bundles.count + 1), previous: previous(),
                    issuerName: "Bench", timeZoneOffset: "+07:00", farm: nil, createdAt: time))
        }
        try record(.start, season.start)
        var seq: Int64 = 0
        for chunk in stride(from: 0, to: readings.count, by: 5_000) {
            let rows = readings[chunk..<min(chunk + 5_000, readings.count)].map { level -> RawSeries.Row in
                seq += 1
                return RawSeries.Row(
                    seq: seq,
                    reading: Reading(
                        sensor: "tube", quantity: ClaimComputation.levelQuantity, value: (level.levelCm * 10).rounded() / 10, unit: "CMT",
                        observedAt: level.time, receivedAt: level.time + 200, source: "farm/tube"))
            }
            bundles.append(
                try issuer.issue(
                    BatchInput(
                        gatewayID: "bench", number: Int64(bundles.count + 1), lot: lot, sensors: sensors, rows: rows,
                        start: rows.first!.reading.observedAt, end: rows.last!.reading.observedAt, createdAt: rows.last!.reading.observedAt,
                        previous: previous(), issuerName: "Bench")))
        }
        if let harvest = season.harvest { try record(.harvest, harvest) }
        try record(.end, season.end)
        return bundles
    }

    /// Times the claim read from the chain (raw series parsed, records read, rules run,
    /// evidence serialised) and the verifier's recomputation of it; medians of `runs`.
    static func fromChain(_ bundles: [CertificateBundle], identity: GatewayIdentity, runs: Int) throws {
        var compute: [Double] = []
        var verify: [Double] = []
        let issuer = AWDClaimIssuer(identity: identity, gatewayID: "bench", issuerName: "Bench", farm: (id: "urn:farm", name: "Bench farm"))
        for _ in 0..<runs {
            let begin = MonotonicClock.seconds()
            let computed = try ClaimComputation.awd(ChainEvidence(chain: bundles), plot: "urn:plot:bench", levelSensor: "tube")
            compute.append(MonotonicClock.seconds() - begin)
            let claim = try issuer.issue(
                number: 1, rules: computed.rules, season: computed.season, levelSensor: "tube", records: computed.records,
                certificates: computed.certificates, result: computed.result, createdAt: computed.season.end)
            let checked = MonotonicClock.seconds()
            let problems = ClaimVerifier(chain: bundles).verify(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence)
            verify.append(MonotonicClock.seconds() - checked)
            guard problems.isEmpty else { throw ValidationFailure(problems: problems) }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let bytes = bundles.reduce(0) { $0 + $1.rawSeries.count }
        print(
            String(
                format: "AWD from the chain: %d links, %.1f MB of raw series: claim computed in %.0f ms, recomputed and compared by the verifier in %.0f ms",
                bundles.count, Double(bytes) / 1_048_576, median(compute) * 1_000, median(verify) * 1_000))
    }

    struct ValidationFailure: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { "the benchmark's own claim did not verify: \(problems)" }
    }
}
