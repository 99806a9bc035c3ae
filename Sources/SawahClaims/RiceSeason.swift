/// A plot's season as the operator entered it (`sawah season start|transplant|harvest|end`):
/// never inferred from the sensors. Times are milliseconds since 1970.
public struct RiceSeason: Sendable, Equatable {
    public var plot: String
    /// The first flooding of the field.
    public var start: Int64
    public var transplant: Int64?
    public var harvest: Int64?
    /// The season's close; the rules read the water level up to the harvest, or to here.
    public var end: Int64

    public init(plot: String, start: Int64, transplant: Int64? = nil, harvest: Int64? = nil, end: Int64) {
        self.plot = plot
        self.start = start
        self.transplant = transplant
        self.harvest = harvest
        self.end = end
    }

    /// The window the rules read: from the flooding to the harvest (or the end).
    public var window: Range<Int64> { start..<max(start, min(harvest ?? end, end)) }
}

/// One water-level reading of the plot's field tube.
public struct LevelReading: Sendable, Equatable {
    /// Milliseconds since 1970 (the reading's observed time).
    public var time: Int64
    /// Centimetres relative to the soil surface (negative: below it).
    public var levelCm: Double

    public init(time: Int64, levelCm: Double) {
        self.time = time
        self.levelCm = levelCm
    }
}
