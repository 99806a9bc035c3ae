/// Which claims the gateway can compute (`sawah claims issue`): the plots whose water regime
/// is read from a field tube, the lots whose cold treatment is read from tagged probes, and
/// the treatment schedules beyond the built-in T107-a.
public struct ClaimsConfiguration: Sendable {
    /// A rice plot for the AWD water-regime claim (`urn:sawah:rules:awd:1`).
    public struct AWDPlot: Sendable, Equatable {
        /// The plot as the season events name it (a GLN Digital Link or a URN).
        public var plot: String
        /// The sensor giving the field tube's water level in cm (a lot's sensor, so sealed).
        public var levelSensor: String
    }

    /// A lot held in cold treatment (`urn:sawah:rules:cold-treatment:1`).
    public struct ColdTreatment: Sendable, Equatable {
        public struct Probe: Sendable, Equatable {
            public var sensor: String
            /// "pulp" (in the fruit: what the schedule reads) or "air" (recorded, never counted).
            public var placement: String
        }

        /// The lot id, one of `[[traceability.lots]]`.
        public var lot: String
        /// A schedule id: `usda-ppq-t107-a` or one of `[[claims.schedules]]`.
        public var schedule: String
        public var probes: [Probe]
        /// The exporter the claim is issued to (its GLN Digital Link or a URN), and its name.
        public var exporter: String
        public var exporterName: String
    }

    public var awd: [AWDPlot] = []
    public var coldTreatments: [ColdTreatment] = []
    /// The schedules a lot may name: T107-a and those the config adds.
    public var schedules: [ColdTreatmentSchedule] = [.t107a]

    public init() {}

    public func schedule(_ id: String) -> ColdTreatmentSchedule? { schedules.first { $0.id == id } }
}
