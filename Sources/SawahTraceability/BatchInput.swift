/// Everything one certificate is made from: which lot, which readings, who issues it and the
/// certificate it follows in the chain.
public struct BatchInput: Sendable {
    public var gatewayID: String
    /// The batch's number in the gateway's chain, from 1.
    public var number: Int64
    public var lot: LotDescription
    /// Sensor id → how to describe it.
    public var sensors: [String: SensorDescription]
    /// The readings sealed, each with its gateway sequence number.
    public var rows: [RawSeries.Row]
    /// Interval covered, milliseconds since 1970.
    public var start: Int64
    public var end: Int64
    public var createdAt: Int64
    /// The gateway's previous certificate (its id and JWS), nil for the first.
    public var previous: PreviousCertificate?
    public var issuerName: String

    public init(
        gatewayID: String, number: Int64, lot: LotDescription, sensors: [String: SensorDescription], rows: [RawSeries.Row],
        start: Int64, end: Int64, createdAt: Int64, previous: PreviousCertificate?, issuerName: String
    ) {
        self.gatewayID = gatewayID
        self.number = number
        self.lot = lot
        self.sensors = sensors
        self.rows = rows
        self.start = start
        self.end = end
        self.createdAt = createdAt
        self.previous = previous
        self.issuerName = issuerName
    }
}

public struct PreviousCertificate: Sendable, Equatable {
    public var id: String
    public var jws: String

    public init(id: String, jws: String) {
        self.id = id
        self.jws = jws
    }
}

/// The crop lot a batch speaks for and where it grows.
public struct LotDescription: Sendable {
    public var id: String
    public var name: String
    public var plot: String
    public var farm: String?
    public var timeZoneOffset: String
    /// WGS 84 latitude and longitude of the plot, when known.
    public var coordinates: (latitude: Double, longitude: Double)?

    public init(
        id: String, name: String, plot: String, farm: String?, timeZoneOffset: String,
        coordinates: (latitude: Double, longitude: Double)? = nil
    ) {
        self.coordinates = coordinates
        self.id = id
        self.name = name
        self.plot = plot
        self.farm = farm
        self.timeZoneOffset = timeZoneOffset
    }
}

/// One sensor as certificates name it.
public struct SensorDescription: Sendable {
    public var deviceID: String
    public var name: String
    /// Quantity → CBV measurement type (`Temperature`, `VolumeFraction`…).
    public var measurementTypes: [String: String]
    /// Quantity → values outside this range raise `ALARM_CONDITION`.
    public var alarms: [String: ClosedRange<Double>]

    public init(deviceID: String, name: String, measurementTypes: [String: String], alarms: [String: ClosedRange<Double>] = [:]) {
        self.deviceID = deviceID
        self.name = name
        self.measurementTypes = measurementTypes
        self.alarms = alarms
    }
}

/// What a third party needs to check a batch offline.
public struct CertificateBundle: Sendable, Equatable {
    public var number: Int64
    public var certificateID: String
    /// The `vc+jwt` compact JWS.
    public var jws: String
    /// The EPCIS 2.0 document, byte for byte as digested.
    public var epcis: [UInt8]
    /// The raw series, byte for byte as digested.
    public var rawSeries: [UInt8]

    public init(number: Int64, certificateID: String, jws: String, epcis: [UInt8], rawSeries: [UInt8]) {
        self.number = number
        self.certificateID = certificateID
        self.jws = jws
        self.epcis = epcis
        self.rawSeries = rawSeries
    }
}
