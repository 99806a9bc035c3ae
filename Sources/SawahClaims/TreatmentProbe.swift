/// A temperature probe in a cold-treatment load, with the calibration it was checked with.
public struct TreatmentProbe: Sendable, Equatable {
    public enum Placement: String, Sendable {
        /// In the fruit's pulp: what the schedule reads.
        case pulp
        /// In the air of the hold: recorded, never satisfies a schedule.
        case air
    }

    public var id: String
    public var placement: Placement
    /// What the probe read in an ice slurry at 0 °C; subtracted from every reading.
    public var iceReadingCelsius: Double
    /// The digest of the signed calibration record in the chain.
    public var calibrationHash: String

    public init(id: String, placement: Placement, iceReadingCelsius: Double, calibrationHash: String) {
        self.id = id
        self.placement = placement
        self.iceReadingCelsius = iceReadingCelsius
        self.calibrationHash = calibrationHash
    }
}
