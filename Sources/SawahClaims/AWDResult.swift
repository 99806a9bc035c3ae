/// What `urn:sawah:rules:awd:1` concludes for one plot and season: the drainage periods it
/// found, which count, the water regime with its IPCC scaling factor, the season's coverage by
/// readings, and the flags a verifier or a carbon programme must see.
public struct AWDResult: Sendable, Equatable {
    /// The water regime by the number of counted drainage periods.
    public enum Regime: String, Sendable {
        case continuouslyFlooded = "continuously-flooded"
        case singleDrainage = "single-drainage"
        case multipleDrainage = "multiple-drainage"

        init(countedPeriods: Int) {
            switch countedPeriods {
            case 0: self = .continuouslyFlooded
            case 1: self = .singleDrainage
            default: self = .multipleDrainage
            }
        }
    }

    /// One drainage period: from the first reading below the entry threshold to the first
    /// reading above the exit threshold (both confirmed by the dwell).
    public struct Period: Sendable, Equatable {
        public enum Verdict: String, Sendable {
            case counted
            /// Not longer than `countedAfterHours`.
            case tooShort = "too-short"
            /// Still drained at the harvest (or the season's end): the end-of-season drainage,
            /// which no methodology counts.
            case endOfSeason = "end-of-season"
        }

        public var start: Int64
        /// Nil for the end-of-season drainage, which the harvest ends rather than a re-flooding.
        public var end: Int64?
        public var hours: Double
        /// The lowest reading in the period (cm).
        public var deepestCm: Double
        /// Time with readings below `unsafeBelowCm` (hours).
        public var hoursBelowUnsafe: Double
        public var verdict: Verdict
    }

    public enum Flag: String, Sendable, CaseIterable {
        case unsafeDepth = "unsafe-depth"
        case shallowDrainage = "shallow-drainage"
        case earlyFirstDrainage = "early-first-drainage"
        case lowCoverage = "low-coverage"
    }

    public var periods: [Period]
    public var regime: Regime
    public var countedPeriods: Int
    public var scalingFactor: Double
    /// The fraction of the season's window covered by readings, 0…1.
    public var coverage: Double
    public var flags: [Flag]
    public var readings: Int
}
