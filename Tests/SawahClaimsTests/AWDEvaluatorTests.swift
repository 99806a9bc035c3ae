import Foundation
import Testing

@testable import SawahClaims

/// Known answers for `urn:sawah:rules:awd:1`, worked out from docs/rules/awd-1.md on synthetic
/// seasons: a reading every 10 minutes from the flooding (day 0) to the harvest (day 100).
@Suite struct AWDEvaluatorTests {
    static let day: Int64 = 86_400_000
    static let start: Int64 = 1_780_000_000_000
    static let season = RiceSeason(plot: "urn:plot:1", start: start, harvest: start + 100 * day, end: start + 110 * day)

    /// Level (cm) as a function of the day, read every 10 minutes.
    static func series(_ level: (Double) -> Double?) -> [LevelReading] {
        stride(from: Int64(0), to: 100 * day, by: 600_000).compactMap { offset in
            level(Double(offset) / Double(day)).map { LevelReading(time: start + offset, levelCm: $0) }
        }
    }

    /// Flooded at +5 cm, drained to `depth` over the given days (start inclusive, end exclusive).
    static func drained(_ periods: [(from: Double, to: Double)], depth: Double = -12) -> [LevelReading] {
        series { day in periods.contains { day >= $0.from && day < $0.to } ? depth : 5 }
    }

    func evaluate(_ readings: [LevelReading]) -> AWDResult {
        AWDEvaluator().evaluate(readings, season: Self.season)
    }

    @Test func aFieldKeptFloodedIsContinuouslyFlooded() {
        let result = evaluate(Self.drained([]))
        #expect(result.periods.isEmpty && result.regime == .continuouslyFlooded && result.scalingFactor == 1.0)
        #expect(result.flags.isEmpty && result.readings == 14_400)
        #expect(abs(result.coverage - 1) < 1e-9)
    }

    @Test func oneDrainageOfFiveDaysIsASingleDrainage() {
        let result = evaluate(Self.drained([(30, 35)]))
        #expect(result.countedPeriods == 1 && result.regime == .singleDrainage && result.scalingFactor == 0.71)
        let period = try! #require(result.periods.first)
        #expect(period.start == Self.start + 30 * Self.day && period.end == Self.start + 35 * Self.day)
        #expect(period.hours == 120 && period.deepestCm == -12 && period.hoursBelowUnsafe == 0 && period.verdict == .counted)
        #expect(result.flags.isEmpty)
    }

    @Test(arguments: [(2, [(25.0, 29.0), (50.0, 55.0)]), (3, [(25.0, 29.0), (45.0, 50.0), (65.0, 70.0)])])
    func twoOrMoreDrainagesAreMultipleDrainage(expected: Int, periods: [(Double, Double)]) {
        let result = evaluate(Self.drained(periods.map { (from: $0.0, to: $0.1) }))
        #expect(result.countedPeriods == expected && result.regime == .multipleDrainage && result.scalingFactor == 0.55)
    }

    @Test func aDrainageOfExactlySeventyTwoHoursDoesNotCount() {
        let result = evaluate(Self.drained([(30, 33)]))
        #expect(result.periods.map(\.hours) == [72] && result.periods.map(\.verdict) == [.tooShort])
        #expect(result.regime == .continuouslyFlooded)
        let longer = evaluate(Self.drained([(30, 33 + 1.0 / 144)]))  // ten minutes more
        #expect(longer.periods.map(\.verdict) == [.counted])
    }

    @Test func theEndOfSeasonDrainageIsExcluded() {
        let result = evaluate(Self.drained([(30, 35), (90, 100)]))
        #expect(result.periods.map(\.verdict) == [.counted, .endOfSeason])
        #expect(result.periods.last?.end == nil && result.periods.last?.hours == 240)
        #expect(result.regime == .singleDrainage)
    }

    @Test func gapsLowerTheCoverageAndAreFlaggedBelowEightyPercent() {
        // Nothing from day 40 to day 70: the last reading before the gap (at day 40 less ten
        // minutes) covers 3 hours instead of its ten minutes.
        let result = evaluate(Self.series { day in day >= 40 && day < 70 ? nil : 5 })
        #expect(abs(result.coverage - (70.0 + 3.0 / 24 - 1.0 / 144) / 100) < 1e-9)
        #expect(result.flags == [.lowCoverage])
        let shorter = evaluate(Self.series { day in day >= 40 && day < 55 ? nil : 5 })
        #expect(shorter.flags.isEmpty)
    }

    @Test func waterBelowFifteenCentimetresForAnHourOrMoreIsUnsafe() {
        let result = evaluate(Self.drained([(30, 35)], depth: -20))
        #expect(result.periods.first?.hoursBelowUnsafe == 120 && result.flags == [.unsafeDepth])
        // One stray echo at -30 cm inside a safe drainage is not.
        var readings = Self.drained([(30, 35)])
        readings[32 * 144].levelCm = -30
        let stray = evaluate(readings)
        #expect(stray.periods.first?.deepestCm == -30 && stray.periods.first?.hoursBelowUnsafe == 1.0 / 6 && stray.flags.isEmpty)
    }

    @Test func aNoisySensorAroundTheSoilSurfaceMakesNoPeriod() {
        // ±3 cm, a two-hour cycle: it crosses both thresholds long before any dwell completes.
        let result = evaluate(Self.series { day in 3 * sin(day * 24 * .pi) })
        #expect(result.periods.isEmpty && result.regime == .continuouslyFlooded)
        // A dip of five hours is shorter than the six-hour dwell: no period either.
        let dip = evaluate(Self.series { day in day >= 30 && day < 30 + 5.0 / 24 ? -8 : 5 })
        #expect(dip.periods.isEmpty)
    }

    @Test func aCountedDrainageThatNeverReachesTenCentimetresIsShallow() {
        let result = evaluate(Self.drained([(30, 35)], depth: -6))
        #expect(result.regime == .singleDrainage && result.flags == [.shallowDrainage])
    }

    @Test func aFirstDrainageSoonerThanThreeWeeksAfterFloodingIsEarly() {
        #expect(evaluate(Self.drained([(10, 15)])).flags == [.earlyFirstDrainage])
        #expect(evaluate(Self.drained([(21, 26)])).flags.isEmpty)
    }

    @Test func readingsOutsideTheSeasonAreNotRead() {
        var readings = Self.drained([])
        readings.append(LevelReading(time: Self.start - Self.day, levelCm: -20))
        readings.append(LevelReading(time: Self.start + 105 * Self.day, levelCm: -20))
        let result = evaluate(readings.shuffled())
        #expect(result.readings == 14_400 && result.periods.isEmpty)
    }
}
