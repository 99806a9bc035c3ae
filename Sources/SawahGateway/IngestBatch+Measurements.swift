import SawahCore
import SawahJournal

extension IngestBatch {
    /// What a sensor read directly (GPIO, sysfs) measured, one value or failed read per
    /// quantity. Each value becomes a reading through the sensor's `normaliser`; every read
    /// that failed and every value it refuses go to one quarantine record, with `raw` (what
    /// the source saw) as its payload. Returns the problems, for the source's own log.
    @discardableResult
    mutating func add(
        _ measured: [(quantity: DeviceProfile.Quantity, value: Result<Double, SensorReadProblem>)], normaliser: Normaliser,
        at now: Int64, source: String, raw: String
    ) -> [String] {
        var problems: [String] = []
        for (quantity, value) in measured {
            switch value {
            case .success(let number):
                switch normaliser.reading(quantity, measured: number, observedAt: now, receivedAt: now, source: source) {
                case .success(let reading): readings.append(reading)
                case .failure(let problem): problems.append(problem.description)
                }
            case .failure(let problem):
                problems.append("\(quantity.name): \(problem)")
            }
        }
        if !problems.isEmpty {
            quarantine.append(QuarantineRecord(source: source, payload: Array(raw.utf8), reason: problems.joined(separator: "; "), receivedAt: now))
        }
        return problems
    }
}
