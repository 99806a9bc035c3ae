/// Runs `urn:sawah:rules:awd:1` over a plot's water-level series: a deterministic state
/// machine (flooded ⇄ drained, with a hysteresis band and a minimum dwell), then the verdict
/// per period, the regime and the flags. Same readings and rules, same result, on the gateway
/// and in any verifier: no clock, no randomness, readings taken in time order.
public struct AWDEvaluator: Sendable {
    public let rules: AWDRules

    public init(rules: AWDRules = AWDRules()) {
        self.rules = rules
    }

    public func evaluate(_ readings: [LevelReading], season: RiceSeason) -> AWDResult {
        let window = season.window
        let series = readings.filter { window.contains($0.time) && $0.levelCm.isFinite }.sorted { $0.time < $1.time }
        let raw = drainages(in: series)
        let periods = raw.map { measure($0, series: series, windowEnd: window.upperBound) }
        let counted = periods.filter { $0.verdict == .counted }
        let regime = AWDResult.Regime(countedPeriods: counted.count)
        let coverage = self.coverage(series, window: window)

        var flags: [AWDResult.Flag] = []
        if periods.contains(where: { $0.hoursBelowUnsafe >= rules.unsafeAfterHours }) { flags.append(.unsafeDepth) }
        if counted.contains(where: { $0.deepestCm > rules.shallowAboveCm }) { flags.append(.shallowDrainage) }
        if let first = counted.first, Double(first.start - season.start) < rules.firstDrainageAfterDays * 86_400_000 {
            flags.append(.earlyFirstDrainage)
        }
        if coverage < rules.minCoverage { flags.append(.lowCoverage) }
        return AWDResult(
            periods: periods, regime: regime, countedPeriods: counted.count, scalingFactor: AWDRules.scalingFactor(regime),
            coverage: coverage, flags: flags, readings: series.count)
    }

    /// The drainage periods as (start, end) in time; end nil when still drained at the window's
    /// end. A crossing starts a candidate change at its first reading; the other threshold
    /// crossed cancels it; it is confirmed once it has stood for the dwell.
    func drainages(in series: [LevelReading]) -> [(start: Int64, end: Int64?)] {
        let dwell = Int64(rules.minDwellMinutes * 60_000)
        var drained = false
        var pending: Int64?
        var opened: Int64 = 0
        var result: [(start: Int64, end: Int64?)] = []
        for reading in series {
            let level = reading.levelCm
            if drained {
                if level > rules.exitAboveCm {
                    pending = pending ?? reading.time
                } else if level < rules.enterBelowCm {
                    pending = nil
                }
                if let since = pending, reading.time - since >= dwell {
                    result.append((opened, since))
                    drained = false
                    pending = nil
                }
            } else {
                if level < rules.enterBelowCm {
                    pending = pending ?? reading.time
                } else if level > rules.exitAboveCm {
                    pending = nil
                }
                if let since = pending, reading.time - since >= dwell {
                    opened = since
                    drained = true
                    pending = nil
                }
            }
        }
        if drained { result.append((opened, nil)) }
        return result
    }

    func measure(_ period: (start: Int64, end: Int64?), series: [LevelReading], windowEnd: Int64) -> AWDResult.Period {
        let end = period.end ?? windowEnd
        let hours = Double(end - period.start) / 3_600_000
        let inside = series.indices.filter { series[$0].time >= period.start && series[$0].time < end }
        let deepest = inside.map { series[$0].levelCm }.min() ?? 0
        var belowUnsafe: Int64 = 0
        for index in inside where series[index].levelCm < rules.unsafeBelowCm {
            belowUnsafe += covered(index, in: series, until: end)
        }
        let verdict: AWDResult.Period.Verdict =
            period.end == nil ? .endOfSeason : hours > rules.countedAfterHours ? .counted : .tooShort
        return AWDResult.Period(
            start: period.start, end: period.end, hours: hours, deepestCm: deepest,
            hoursBelowUnsafe: Double(belowUnsafe) / 3_600_000, verdict: verdict)
    }

    /// How long reading `index` stands for the level: until the next reading, at most
    /// `readingCoversMinutes`, and never past `limit`.
    func covered(_ index: Int, in series: [LevelReading], until limit: Int64) -> Int64 {
        let time = series[index].time
        var until = min(limit, time + Int64(rules.readingCoversMinutes * 60_000))
        if index + 1 < series.count { until = min(until, series[index + 1].time) }
        return max(0, until - time)
    }

    func coverage(_ series: [LevelReading], window: Range<Int64>) -> Double {
        guard window.upperBound > window.lowerBound else { return 0 }
        let covered = series.indices.reduce(Int64(0)) { $0 + self.covered($1, in: series, until: window.upperBound) }
        return Double(covered) / Double(window.upperBound - window.lowerBound)
    }
}
