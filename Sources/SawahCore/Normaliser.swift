/// The one step every source's measured values go through before they are readings, whether
/// they came in an MQTT payload, from a GPIO line or from sysfs: the sensor's calibration from
/// the config (flagged `calibrated`, rounded to a millionth), and the profile's valid range. A
/// value that fails the range is a problem for the caller to quarantine, never a reading.
public struct Normaliser: Sendable {
    public let sensor: GatewayConfiguration.Sensor
    public let profile: DeviceProfile

    public init(sensor: GatewayConfiguration.Sensor, profile: DeviceProfile) {
        self.sensor = sensor
        self.profile = profile
    }

    /// The reading for `measured` (already in the quantity's unit, and rounded by whatever
    /// converted it), or why there is none.
    public func reading(
        _ quantity: DeviceProfile.Quantity, measured: Double, observedAt: Int64, receivedAt: Int64, source: String,
        quality: QualityFlags = [], link: LinkQuality? = nil
    ) -> Result<Reading, Problem> {
        guard measured.isFinite else { return .failure(Problem("\(quantity.name) is not a finite number")) }
        var value = measured
        var flags = quality
        if let calibration = sensor.calibration[quantity.name] {
            value = Self.rounded(calibration.apply(measured))
            flags.insert(.calibrated)
        }
        guard value >= quantity.min, value <= quantity.max else {
            return .failure(
                Problem("\(quantity.name) = \(value) \(quantity.unit) is outside the valid range \(quantity.min)…\(quantity.max) for \(profile.model)"))
        }
        return .success(
            Reading(
                sensor: sensor.id, quantity: quantity.name, value: value, unit: quantity.unit,
                observedAt: observedAt, receivedAt: receivedAt, source: source, quality: flags, link: link))
    }

    /// Rounded to a millionth: binary arithmetic would otherwise store 49.668000000000006 for
    /// 49.668, and no farm sensor resolves finer.
    public static func rounded(_ value: Double) -> Double {
        (value * 1e6).rounded() / 1e6
    }

    /// Why a value is not a reading.
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}
