import SawahCore
import Testing

@testable import SawahClaims

/// Known answers for `urn:sawah:rules:cold-treatment:1` with schedule T107-a, worked out from
/// docs/rules/cold-treatment-1.md: three pulp probes and one air probe read every hour.
@Suite struct ColdTreatmentEvaluatorTests {
    static let hour: Int64 = 3_600_000
    static let start: Int64 = 1_780_000_000_000
    static let evaluator = ColdTreatmentEvaluator(schedule: .t107a)

    static func probes(ice: Double = 0, pulp: [String] = ["p1", "p2", "p3"]) -> [TreatmentProbe] {
        pulp.map { TreatmentProbe(id: $0, placement: .pulp, iceReadingCelsius: ice, calibrationHash: "sha256-\($0)") }
            + [TreatmentProbe(id: "a1", placement: .air, iceReadingCelsius: 0, calibrationHash: "sha256-a1")]
    }

    /// Hourly readings for hours 0…`hours`: `temperature(probe, hour)`, nil for none. The air
    /// probe reads 10 °C throughout: it must never matter.
    static func samples(hours: Int, _ temperature: (String, Int) -> Double?) -> [ColdTreatmentEvaluator.Sample] {
        (0...hours).flatMap { hour in
            ["p1", "p2", "p3"].compactMap { probe in
                temperature(probe, hour).map { .init(probe: probe, time: start + Int64(hour) * Self.hour, celsius: $0) }
            } + [.init(probe: "a1", time: start + Int64(hour) * Self.hour, celsius: 10)]
        }
    }

    /// Cooling: 5 °C for the first day, then `cold`.
    static func cooled(_ cold: Double = 0.8) -> (String, Int) -> Double? {
        { _, hour in hour < 24 ? 5 : cold }
    }

    @Test func aCleanTwelveDayRunMeetsTheFirstRow() {
        let result = Self.evaluator.evaluate(Self.samples(hours: 320, Self.cooled()), probes: Self.probes())
        #expect(result.row == ColdTreatmentSchedule.Row(maxCelsius: 1.11, days: 12))
        #expect(result.start == Self.start + 24 * Self.hour && result.end == Self.start + 312 * Self.hour && result.days == 12)
        #expect(result.restarts.isEmpty && result.problems.isEmpty)
        #expect(result.hoursAboveLimit == ["p1": 24, "p2": 24, "p3": 24], "the day of cooling")
        #expect(result.probes.map(\.id) == ["a1", "p1", "p2", "p3"])
    }

    @Test func aBreachAboveTheFirstRowMovesToTheNext() {
        let samples = Self.samples(hours: 370) { probe, hour in
            probe == "p2" && (144...146).contains(hour) ? 1.5 : Self.cooled()(probe, hour)
        }
        let result = Self.evaluator.evaluate(samples, probes: Self.probes())
        #expect(result.row == ColdTreatmentSchedule.Row(maxCelsius: 1.67, days: 14))
        #expect(result.start == Self.start + 24 * Self.hour && result.end == Self.start + 360 * Self.hour)
        #expect(result.restarts.isEmpty && result.hoursAboveLimit == ["p1": 24, "p2": 24, "p3": 24])
    }

    @Test func aSpikeAboveTheRestartTemperatureRestartsEveryRow() {
        let samples = Self.samples(hours: 400) { probe, hour in
            probe == "p3" && hour == 100 ? 2.5 : Self.cooled()(probe, hour)
        }
        let result = Self.evaluator.evaluate(samples, probes: Self.probes())
        #expect(result.restarts == [.init(time: Self.start + 100 * Self.hour, probe: "p3", reason: .tooWarm, celsius: 2.5)])
        #expect(result.row?.maxCelsius == 1.11)
        #expect(result.start == Self.start + 101 * Self.hour && result.end == Self.start + 389 * Self.hour)
        #expect(result.hoursAboveLimit["p3"] == 25)
    }

    @Test func aProbeThatStopsReportingRestartsAndNothingIsMet() {
        let samples = Self.samples(hours: 400) { probe, hour in
            probe == "p3" && hour > 120 ? nil : Self.cooled()(probe, hour)
        }
        let result = Self.evaluator.evaluate(samples, probes: Self.probes())
        #expect(result.restarts == [.init(time: Self.start + 120 * Self.hour + 65 * 60_000, probe: "p3", reason: .gap, celsius: nil)])
        #expect(result.row == nil && result.problems == [.notMet])
    }

    @Test func theCalibrationOffsetDecidesTheRow() {
        let samples = Self.samples(hours: 340) { _, _ in 1.2 }
        let calibrated = Self.evaluator.evaluate(samples, probes: Self.probes(ice: 0.2))
        #expect(calibrated.row?.maxCelsius == 1.11 && calibrated.end == Self.start + 288 * Self.hour)
        let uncorrected = Self.evaluator.evaluate(samples, probes: Self.probes(ice: 0))
        #expect(uncorrected.row?.maxCelsius == 1.67 && uncorrected.end == Self.start + 336 * Self.hour)
    }

    @Test func airProbesNeverSatisfyTheSchedule() {
        let result = Self.evaluator.evaluate(Self.samples(hours: 320, Self.cooled()), probes: Self.probes(pulp: ["p1", "p2"]))
        #expect(result.problems == [.tooFewPulpProbes] && result.row == nil)
    }
}
