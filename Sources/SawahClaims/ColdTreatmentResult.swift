import SawahCore

/// What `urn:sawah:rules:cold-treatment:1` concludes for one lot: whether and when a row of the
/// schedule was met, what restarted the treatment, and the probes it rests on.
public struct ColdTreatmentResult: Sendable, Equatable {
    public struct Restart: Sendable, Equatable {
        public enum Reason: String, Sendable {
            /// A pulp probe above the schedule's restart temperature.
            case tooWarm = "too-warm"
            /// A pulp probe without a reading for longer than the schedule allows.
            case gap
        }
        public var time: Int64
        public var probe: String
        public var reason: Reason
        /// The corrected temperature that restarted it (nil for a gap).
        public var celsius: Double?
    }

    public enum Problem: String, Sendable {
        case tooFewPulpProbes = "too-few-pulp-probes"
        case notMet = "not-met"
    }

    /// The row met first, if any.
    public var row: ColdTreatmentSchedule.Row?
    /// When every pulp probe was last at or below the row's temperature without a break, and
    /// when the row's days were complete.
    public var start: Int64?
    public var end: Int64?
    public var days: Double?
    /// Per pulp probe: the hours its corrected readings spent above the met row's temperature
    /// (above the first row's when none was met), over the whole record.
    public var hoursAboveLimit: [String: Double]
    public var restarts: [Restart]
    /// Every probe with its placement and calibration hash, pulp and air, sorted by id.
    public var probes: [TreatmentProbe]
    public var problems: [Problem]
}
