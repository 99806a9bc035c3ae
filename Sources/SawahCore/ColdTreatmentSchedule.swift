/// A cold-treatment schedule as data: rows of a pulp temperature and the days fruit must be
/// held at or below it, and the temperature at which any excursion restarts the treatment.
/// An agency's other schedules are a config change, not code (rule profile
/// `urn:sawah:rules:cold-treatment:1`, docs/rules/cold-treatment-1.md).
public struct ColdTreatmentSchedule: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The highest pulp temperature allowed (°C).
        public var maxCelsius: Double
        public var days: Double

        public init(maxCelsius: Double, days: Double) {
            self.maxCelsius = maxCelsius
            self.days = days
        }
    }

    public var id: String
    public var rows: [Row]
    /// Fruit warmer than this at any time restarts every row (°C).
    public var restartAboveCelsius: Double
    /// The fewest pulp probes the schedule accepts.
    public var minPulpProbes: Int
    /// The longest a probe may go without a reading (minutes); a longer gap restarts the
    /// treatment, since nothing shows what the fruit did meanwhile.
    public var maxIntervalMinutes: Double

    public var maxIntervalMilliseconds: Int64 { Int64(maxIntervalMinutes * 60_000) }

    public init(id: String, rows: [Row], restartAboveCelsius: Double, minPulpProbes: Int = 3, maxIntervalMinutes: Double = 65) {
        self.id = id
        self.rows = rows
        self.restartAboveCelsius = restartAboveCelsius
        self.minPulpProbes = minPulpProbes
        self.maxIntervalMinutes = maxIntervalMinutes
    }

    /// USDA PPQ schedule T107-a (Mediterranean fruit fly), the rows the import conditions
    /// name: ≤ 1.11 °C for 12 days, ≤ 1.67 °C for 14, ≤ 2.22 °C for 16; restart above 2.2 °C;
    /// hourly readings from at least 3 pulp probes (the 65 minutes leave a logger's jitter).
    public static let t107a = ColdTreatmentSchedule(
        id: "usda-ppq-t107-a",
        rows: [Row(maxCelsius: 1.11, days: 12), Row(maxCelsius: 1.67, days: 14), Row(maxCelsius: 2.22, days: 16)],
        restartAboveCelsius: 2.2)
}
