/// The parameters of the alternate-wetting-and-drying rule profile `urn:sawah:rules:awd:1`
/// (docs/rules/awd-1.md). A claim names the profile and carries these values, so that a
/// verifier re-runs exactly the rules the gateway ran (DESIGN.md invariant 8). Levels are
/// centimetres of water in the field tube relative to the soil surface: positive is standing
/// water, negative is the water table below the surface.
public struct AWDRules: Sendable, Equatable {
    /// The profile's id; changes whenever the rules (not only their values) change.
    public static let profileID = "urn:sawah:rules:awd:1"

    /// A drainage may begin once the level falls below this (cm).
    public var enterBelowCm: Double = -2
    /// A drainage may end once the level rises above this (cm). The band between the two
    /// keeps a sensor's noise around the soil surface from starting and ending periods.
    public var exitAboveCm: Double = 2
    /// A change of state counts only if the level does not cross back over the other threshold
    /// for this long (minutes); the period starts (or ends) at its first reading past the
    /// threshold.
    public var minDwellMinutes: Double = 360
    /// A drainage period counts towards the water regime only if it lasts longer than this
    /// (hours): "more than 3 days".
    public var countedAfterHours: Double = 72
    /// Safe AWD re-floods before the water falls this far below the surface (cm).
    public var unsafeBelowCm: Double = -15
    /// Time below `unsafeBelowCm` that raises `unsafe-depth` (hours): one stray echo does not.
    public var unsafeAfterHours: Double = 1
    /// A counted period that never reaches this depth (cm) raises `shallow-drainage`
    /// (VM0051 then asks for a measurement campaign).
    public var shallowAboveCm: Double = -10
    /// A first counted drainage that starts sooner than this after the season's flooding
    /// (days) raises `early-first-drainage`.
    public var firstDrainageAfterDays: Double = 21
    /// A reading stands for the field's level for at most this long (minutes); longer gaps are
    /// not covered.
    public var readingCoversMinutes: Double = 180
    /// Below this fraction of the season covered by readings, `low-coverage` is raised.
    public var minCoverage: Double = 0.8

    public init() {}

    /// The IPCC 2019 Refinement (Vol. 4 Ch. 5, Table 5.12) scaling factor for a water regime.
    public static func scalingFactor(_ regime: AWDResult.Regime) -> Double {
        switch regime {
        case .continuouslyFlooded: 1.00
        case .singleDrainage: 0.71
        case .multipleDrainage: 0.55
        }
    }
}
