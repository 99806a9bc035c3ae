import ArgumentParser
import Foundation
import SawahClaims
import SawahCore
import SawahSystem
import SawahTraceability
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The cost of a claim: a season of water-level readings at one a minute through
/// `urn:sawah:rules:awd:1`, the evidence bundle and the signed credential; and a cold
/// treatment's probes at one reading a minute each through T107-a. Medians of several runs.
struct ClaimsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims", abstract: "Time to compute and sign a season's AWD claim and a cold treatment's verdict.")

    @Option(help: "Days in the rice season (one reading a minute).") var days = 120
    @Option(help: "Runs; the median is printed.") var runs = 5

    func run() throws {
        let start: Int64 = 1_780_000_000_000
        let minute: Int64 = 60_000
        let count = days * 1_440
        // Flooded at +5 cm with ±1.5 cm of noise, drained to -12 cm for 5 days every 25 days.
        let readings = (0..<count).map { index -> LevelReading in
            let day = Double(index) / 1_440
            let drained = day.truncatingRemainder(dividingBy: 25) >= 20
            return LevelReading(time: start + Int64(index) * minute, levelCm: (drained ? -12 : 5) + 1.5 * sin(Double(index) * 0.7))
        }
        let season = RiceSeason(plot: "urn:plot:bench", start: start, harvest: start + Int64(count) * minute, end: start + Int64(count) * minute)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let issuer = AWDClaimIssuer(
            identity: try GatewayIdentity.create(at: directory.file("identity.pem")), gatewayID: "bench", issuerName: "Bench",
            farm: (id: "https://id.gs1.org/414/9506000000007", name: "Bench farm"))
        var evaluate: [Double] = []
        var sign: [Double] = []
        var result: AWDResult?
        for _ in 0..<runs {
            let begin = MonotonicClock.seconds()
            let computed = AWDEvaluator().evaluate(readings, season: season)
            let evaluated = MonotonicClock.seconds()
            _ = try issuer.issue(
                number: 1, rules: AWDRules(), season: season, levelSensor: "tube", records: [], certificates: [], result: computed, createdAt: season.end)
            sign.append(MonotonicClock.seconds() - evaluated)
            evaluate.append(evaluated - begin)
            result = computed
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print(
            String(
                format:
                    "AWD: %d readings (%d days at 1/min): evaluated in %.1f ms (%.0f readings/s), evidence + signed credential %.1f ms; %@, %d counted periods",
                count, days, median(evaluate) * 1_000, Double(count) / median(evaluate), median(sign) * 1_000,
                result?.regime.rawValue ?? "-", result?.countedPeriods ?? 0))

        let identity = try GatewayIdentity.load(from: directory.file("identity.pem"))
        try Self.fromChain(try Self.chain(readings, season: season, identity: identity), identity: identity, runs: runs)

        // Four pulp probes, one reading a minute each, 18 days: pull-down, then 0.8 °C.
        let probes = (1...4).map { TreatmentProbe(id: "p\($0)", placement: .pulp, iceReadingCelsius: 0.1, calibrationHash: "sha256-p\($0)") }
        var samples: [ColdTreatmentEvaluator.Sample] = []
        for index in 0..<(18 * 1_440) {
            for probe in probes {
                samples.append(.init(probe: probe.id, time: start + Int64(index) * minute, celsius: index < 1_440 ? 6 : 0.9))
            }
        }
        var cold: [Double] = []
        var verdict: ColdTreatmentResult?
        for _ in 0..<runs {
            let begin = MonotonicClock.seconds()
            verdict = ColdTreatmentEvaluator(schedule: .t107a).evaluate(samples, probes: probes)
            cold.append(MonotonicClock.seconds() - begin)
        }
        print(
            String(
                format: "cold treatment: %d samples (4 pulp probes, 18 days at 1/min): evaluated in %.1f ms; row %@ met",
                samples.count, median(cold) * 1_000, verdict?.row.map { "\($0.maxCelsius) °C / \(Int($0.days)) d" } ?? "none"))
        let peak = ProcessMeasurements.peakRSS(pid: getpid()).map { String(format: "%.1f MB", Double($0) / 1_048_576) }
        print("peak RSS of the benchmark process: \(peak ?? "unknown")")
    }
}
