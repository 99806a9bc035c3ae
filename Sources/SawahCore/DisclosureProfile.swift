/// What one platform may receive of each batch (DESIGN.md invariant 10): the plot's location
/// at a chosen precision, the raw series or interval aggregates, some quantities and lots,
/// device ids or per-platform pseudonyms, and terms of use. A batch the profile leaves as it is
/// goes as the signed original; from any other the platform gets a derived copy, coarsened
/// before it is signed, that names the original it came from.
public struct DisclosureProfile: Sendable, Equatable {
    public enum Location: Sendable, Equatable {
        /// The coordinates as configured.
        case exact
        /// The centre of the geohash cell of this many characters (1…12).
        case geohash(precision: Int)
        /// The centre of the cell of a grid of this many degrees.
        case grid(degrees: Double)
        /// The plot's and farm's GS1 locations, no coordinates.
        case facilityOnly
        /// No location at all: no coordinates, no plot, no farm.
        case none
    }

    public enum Series: Sendable, Equatable {
        /// Every reading.
        case raw
        /// min, max, mean and count per sensor, quantity and interval of this many seconds.
        case aggregate(seconds: Int)
    }

    /// Protected by default: the plot's GLN, not its coordinates (a smallholder's plot points
    /// at a household).
    public var location = Location.facilityOnly
    public var series = Series.raw
    /// The quantities sent; nil for all.
    public var quantities: [String]?
    /// The lots sent; nil for all.
    public var lots: [String]?
    /// Device ids replaced by pseudonyms stable per platform.
    public var pseudonymousDevices = false
    /// A URI the derived credential carries as `termsOfUse`.
    public var terms: String?

    public init() {}

    /// The profile as text, one key a line in a fixed order: its SHA-256 is the profile's hash,
    /// recorded with every delivery and carried by every derived credential.
    public var canonicalText: String {
        let location: String =
            switch self.location {
            case .exact: "exact"
            case .geohash(let precision): "geohash:\(precision)"
            case .grid(let degrees): "grid:\(degrees)"
            case .facilityOnly: "facility-only"
            case .none: "none"
            }
        let series: String =
            switch self.series {
            case .raw: "raw"
            case .aggregate(let seconds): "aggregate:\(seconds)s"
            }
        return [
            "location=\(location)", "series=\(series)", "quantities=\(quantities?.sorted().joined(separator: ",") ?? "*")",
            "lots=\(lots?.sorted().joined(separator: ",") ?? "*")", "device_ids=\(pseudonymousDevices ? "pseudonym" : "keep")",
            "terms=\(terms ?? "")"
        ].joined(separator: "\n")
    }

    /// The coordinates this profile lets out, or nil when it lets none out.
    public func disclosed(latitude: Double, longitude: Double) -> (latitude: Double, longitude: Double)? {
        switch location {
        case .exact: return (latitude, longitude)
        case .geohash(let precision): return Geohash.centre(latitude: latitude, longitude: longitude, precision: precision)
        case .grid(let degrees): return Self.grid(latitude, longitude, degrees: degrees)
        case .facilityOnly, .none: return nil
        }
    }

    /// The centre of the grid cell of `degrees` holding the point (cells counted from 0°, so
    /// points below zero round down, not toward zero).
    static func grid(_ latitude: Double, _ longitude: Double, degrees: Double) -> (latitude: Double, longitude: Double)? {
        func snap(_ value: Double) -> Double { ((value / degrees).rounded(.down) + 0.5) * degrees }
        return (snap(latitude), snap(longitude))
    }
}
