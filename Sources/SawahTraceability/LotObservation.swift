/// What one EPCIS ObjectEvent states: the sensors that speak for one crop lot on one plot
/// observed it over one interval.
public struct LotObservation: Sendable {
    /// The crop lot: `https://id.gs1.org/01/{GTIN}/10/{lot}` or a URN the operator chose.
    public var lot: String
    /// The plot (readPoint): `https://id.gs1.org/414/{GLN}` or a URN.
    public var plot: String
    /// The farm (bizLocation), when known.
    public var farm: String?
    /// Interval, milliseconds since 1970: readings observed in `[start, end]`.
    public var start: Int64
    public var end: Int64
    /// The farm's UTC offset, `+07:00`.
    public var timeZoneOffset: String
    public var devices: [DeviceObservation]
    /// The plot's WGS 84 position, reported as latitude/longitude sensor reports (CRS84).
    public var coordinates: (latitude: Double, longitude: Double)?

    public init(
        lot: String, plot: String, farm: String?, start: Int64, end: Int64, timeZoneOffset: String, devices: [DeviceObservation],
        coordinates: (latitude: Double, longitude: Double)? = nil
    ) {
        self.coordinates = coordinates
        self.lot = lot
        self.plot = plot
        self.farm = farm
        self.start = start
        self.end = end
        self.timeZoneOffset = timeZoneOffset
        self.devices = devices
    }
}

/// One device's reports within a lot observation.
public struct DeviceObservation: Sendable {
    /// `https://id.gs1.org/8004/{GIAI}` or a URN naming the sensor.
    public var deviceID: String
    /// Where the raw series lives (a URI naming the batch's raw-series resource).
    public var rawData: String?
    public var reports: [QuantityReport]

    public init(deviceID: String, rawData: String?, reports: [QuantityReport]) {
        self.deviceID = deviceID
        self.rawData = rawData
        self.reports = reports
    }
}

/// Interval statistics of one quantity, and the threshold breach if there was one.
public struct QuantityReport: Sendable {
    /// A CBV measurement type (`Temperature`, `RelativeHumidity`, `VolumeFraction`…).
    public var measurementType: String
    /// UN/ECE Rec 20 unit code.
    public var unit: String
    public var statistics: SensorStatistics
    /// The most extreme value beyond an alarm threshold, reported as `ALARM_CONDITION`.
    public var alarmValue: Double?

    public init(measurementType: String, unit: String, statistics: SensorStatistics, alarmValue: Double? = nil) {
        self.measurementType = measurementType
        self.unit = unit
        self.statistics = statistics
        self.alarmValue = alarmValue
    }
}
