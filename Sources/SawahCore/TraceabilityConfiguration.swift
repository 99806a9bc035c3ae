/// What the certificates say about the farm: who issues them, which crop lots the sensors
/// speak for, and when a reading is an alarm. Absent from the config: nothing is sealed.
public struct TraceabilityConfiguration: Sendable {
    public struct Lot: Sendable, Equatable {
        /// GS1 Digital Link `https://id.gs1.org/01/{GTIN}/10/{lot}`, or a URN.
        public var id: String
        public var name: String
        /// The plot: `https://id.gs1.org/414/{GLN}` or a URN.
        public var plot: String
        /// "latitude,longitude" of the plot, when given.
        public var plotCoordinates: String?

        /// The coordinates as numbers (checked when the config is read).
        public var coordinates: (latitude: Double, longitude: Double)? {
            guard let parts = plotCoordinates?.split(separator: ","), parts.count == 2,
                let latitude = Double(parts[0].trimmingWhitespace()), let longitude = Double(parts[1].trimmingWhitespace())
            else { return nil }
            return (latitude, longitude)
        }
        /// Sensor ids whose readings speak for this lot.
        public var sensors: [String]

        public init(id: String, name: String, plot: String, plotCoordinates: String? = nil, sensors: [String]) {
            self.id = id
            self.name = name
            self.plot = plot
            self.plotCoordinates = plotCoordinates
            self.sensors = sensors
        }
    }

    /// The issuer's name in credentials (the farm or cooperative).
    public var issuerName: String
    /// The farm (bizLocation): `https://id.gs1.org/414/{GLN}` or a URN.
    public var farm: String?
    /// The farm's UTC offset for EPCIS `eventTimeZoneOffset`, `+07:00`.
    public var timeZoneOffset = "+00:00"
    /// A batch is sealed when its oldest reading is this many seconds old…
    public var sealIntervalSeconds = 3_600
    /// …or when it has this many readings, whichever comes first.
    public var sealMaxReadings = 5_000
    /// The gateway's P-256 key (PEM, mode 0600); default `<data_dir>/identity.pem`.
    public var identityKeyFile: String
    /// `did:web:…` when the operator publishes the key there; otherwise the key's did:key.
    public var didWeb: String?
    public var lots: [Lot] = []
    /// Quantity → the range outside which a value raises ALARM_CONDITION.
    public var alarms: [String: ClosedRange<Double>] = [:]

    public init(issuerName: String, identityKeyFile: String) {
        self.issuerName = issuerName
        self.identityKeyFile = identityKeyFile
    }

    /// The lot a sensor's readings belong to.
    public func lot(forSensor sensor: String) -> Lot? {
        lots.first { $0.sensors.contains(sensor) }
    }
}
