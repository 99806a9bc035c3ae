import SawahCore

/// A fact the operator states, signed into the certificate chain as its own link: a season
/// boundary of a plot, or the calibration check of a probe. Claims rest on them (DESIGN.md
/// invariant 8), so they are sealed like readings: one EPCIS event per link, hash-chained, and
/// read back from the signed document, never from a side table.
public enum ChainRecord: Sendable, Equatable {
    /// A plot's season boundary, as `sawah season start|transplant|harvest|end` records it.
    case season(plot: String, stage: SeasonStage, time: Int64)
    /// A probe checked in an ice slurry at 0 °C: what it read there, subtracted from its
    /// readings by the claims that use it.
    case calibration(sensor: String, deviceID: String, iceReadingCelsius: Double, time: Int64)

    public enum SeasonStage: String, Sendable, CaseIterable {
        /// The first flooding of the field.
        case start
        case transplant
        case harvest
        /// The season's close.
        case end
    }

    /// What the record is about: the plot, or the sensor id.
    public var subject: String {
        switch self {
        case .season(let plot, _, _): plot
        case .calibration(let sensor, _, _, _): sensor
        }
    }

    /// `season` or `calibration`: the journal's index of records is keyed by it.
    public var kind: String {
        switch self {
        case .season: "season"
        case .calibration: "calibration"
        }
    }

    /// When the stated fact happened (ms since 1970).
    public var time: Int64 {
        switch self {
        case .season(_, _, let time), .calibration(_, _, _, let time): time
        }
    }

    /// The credential type that marks a record link.
    public static let credentialType = "SawahChainRecord"
    /// The EPCIS `bizStep` of a season boundary (CBV has none for a crop's season).
    static let seasonStepPrefix = "urn:sawah:bizstep:season-"
    /// The EPCIS `dataProcessingMethod` of an ice-slurry calibration check.
    public static let iceSlurryMethod = "urn:sawah:calibration:ice-slurry"
}
