import SawahCore

/// Runs `urn:sawah:rules:cold-treatment:1`: the pulp probes' calibrated readings, merged in
/// time order, against each row of a schedule. A row's clock starts when every pulp probe is
/// at or below its temperature; a pulp probe above it stops that row's clock; fruit above the
/// schedule's restart temperature, or a probe silent for too long, restarts every row. The row
/// whose days complete first is the one met. A restart counts once a treatment is under way
/// (some row's clock runs): warm fruit during the pull-down before it is no restart.
/// Deterministic: no clock, ties taken by probe id.
public struct ColdTreatmentEvaluator: Sendable {
    public let schedule: ColdTreatmentSchedule

    public init(schedule: ColdTreatmentSchedule) {
        self.schedule = schedule
    }

    /// One reading of one probe: milliseconds since 1970 and degrees Celsius as read.
    public struct Sample: Sendable, Equatable {
        public var probe: String
        public var time: Int64
        public var celsius: Double

        public init(probe: String, time: Int64, celsius: Double) {
            self.probe = probe
            self.time = time
            self.celsius = celsius
        }
    }

    /// The calibrated temperature: the ice-slurry reading subtracted, rounded to 0.01 °C so
    /// that 0.1 °C readings compare exactly.
    static func corrected(_ celsius: Double, probe: TreatmentProbe) -> Double {
        ((celsius - probe.iceReadingCelsius) * 100).rounded() / 100
    }

    public func evaluate(_ samples: [Sample], probes: [TreatmentProbe]) -> ColdTreatmentResult {
        let sortedProbes = probes.sorted { $0.id < $1.id }
        let pulp = Dictionary(uniqueKeysWithValues: sortedProbes.filter { $0.placement == .pulp }.map { ($0.id, $0) })
        var result = ColdTreatmentResult(
            row: nil, start: nil, end: nil, days: nil, hoursAboveLimit: [:], restarts: [], probes: sortedProbes, problems: [])
        guard pulp.count >= schedule.minPulpProbes, !schedule.rows.isEmpty else {
            result.problems = [.tooFewPulpProbes]
            return result
        }
        let events = samples.filter { pulp[$0.probe] != nil && $0.celsius.isFinite }
            .map { Sample(probe: $0.probe, time: $0.time, celsius: Self.corrected($0.celsius, probe: pulp[$0.probe]!)) }
            .sorted { ($0.time, $0.probe) < ($1.time, $1.probe) }
        let maxInterval = schedule.maxIntervalMilliseconds
        var latest: [String: (time: Int64, celsius: Double)] = [:]
        var silent: Set<String> = []
        var since: [Int64?] = Array(repeating: nil, count: schedule.rows.count)

        func meet(_ index: Int) {
            result.row = schedule.rows[index]
            result.start = since[index]
            result.end = since[index]! + milliseconds(days: schedule.rows[index].days)
            result.days = schedule.rows[index].days
        }
        for event in events {
            // Rows whose days were complete before this reading (every probe heard from
            // within the allowed interval before the end).
            if let met = completed(since, by: event.time, latest: latest) {
                meet(met)
                break
            }
            // A probe silent for longer than the schedule allows: nothing proves the fruit
            // stayed cold meanwhile.
            for id in pulp.keys.sorted() where !silent.contains(id) {
                guard let last = latest[id], event.time - last.time > maxInterval else { continue }
                silent.insert(id)
                if since.contains(where: { $0 != nil }) {
                    result.restarts.append(.init(time: last.time + maxInterval, probe: id, reason: .gap, celsius: nil))
                }
                since = since.map { _ in nil }
            }
            latest[event.probe] = (event.time, event.celsius)
            silent.remove(event.probe)
            // Warm fruit interrupts a treatment under way; before one starts (the pull-down)
            // it only keeps the clocks from starting.
            if event.celsius > schedule.restartAboveCelsius, since.contains(where: { $0 != nil }) {
                result.restarts.append(.init(time: event.time, probe: event.probe, reason: .tooWarm, celsius: event.celsius))
                since = since.map { _ in nil }
            }
            let heard = silent.isEmpty && latest.count == pulp.count
            for (index, row) in schedule.rows.enumerated() {
                if !heard || latest.values.contains(where: { $0.celsius > row.maxCelsius }) {
                    since[index] = nil
                } else if since[index] == nil {
                    since[index] = event.time
                }
            }
        }
        if result.row == nil, let last = events.last, let met = completed(since, by: last.time, latest: latest) { meet(met) }
        if result.row == nil { result.problems.append(.notMet) }
        let limit = (result.row ?? schedule.rows[0]).maxCelsius
        for id in pulp.keys {
            result.hoursAboveLimit[id] = hoursAbove(limit, probe: id, events: events, until: result.end)
        }
        return result
    }

    private func milliseconds(days: Double) -> Int64 { Int64((days * 86_400_000).rounded()) }

    /// The row whose clock has run its days by `time` (the earliest to finish; the first in
    /// the schedule's order on a tie), provided every probe was heard from within the allowed
    /// interval before that end.
    private func completed(_ since: [Int64?], by time: Int64, latest: [String: (time: Int64, celsius: Double)]) -> Int? {
        var best: (index: Int, end: Int64)?
        for (index, start) in since.enumerated() {
            guard let start else { continue }
            let end = start + milliseconds(days: schedule.rows[index].days)
            if let best, best.end <= end { continue }
            best = (index, end)
        }
        guard let best, best.end <= time else { return nil }
        let maxInterval = schedule.maxIntervalMilliseconds
        return latest.values.allSatisfy { $0.time >= best.end - maxInterval } ? best.index : nil
    }

    /// Hours a pulp probe's readings spent above `limit`, each reading standing until the
    /// probe's next one (at most the schedule's interval), up to `until` when given.
    private func hoursAbove(_ limit: Double, probe: String, events: [Sample], until: Int64?) -> Double {
        let own = events.filter { $0.probe == probe && (until == nil || $0.time < until!) }
        let maxInterval = schedule.maxIntervalMilliseconds
        var total: Int64 = 0
        for (index, sample) in own.enumerated() where sample.celsius > limit {
            var end = sample.time + maxInterval
            if index + 1 < own.count { end = min(end, own[index + 1].time) }
            if let until { end = min(end, until) }
            total += max(0, end - sample.time)
        }
        return Double(total) / 3_600_000
    }
}
