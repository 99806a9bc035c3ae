/// What Sawah knows about one sensor model: its quantities, their units and valid ranges, and
/// how to find them in the payload the sensor's node publishes.
public struct DeviceProfile: Sendable {
    public struct Quantity: Sendable {
        /// The quantity's name in readings, for example `soil_temperature`.
        public var name: String
        /// UN/ECE Recommendation 20 code.
        public var unit: String
        /// Values outside `min…max` are physically impossible for this model: they are
        /// quarantined, not stored.
        public var min: Double
        public var max: Double
        /// Default JSON path of the value in the payload.
        public var field: String
        /// CBV measurement type for EPCIS sensor reports (`Temperature`, `VolumeFraction`…).
        public var measurement: String
        /// The model's own conversion from what its node reports to the unit, `raw * scale +
        /// offset` (a flow meter's 450 pulses per litre, an anemometer's 2.4 km/h per hertz):
        /// a datasheet fact, applied before the sensor's calibration from the config.
        public var scale = 1.0
        public var offset = 0.0
        /// Set when no reading of this quantity means anything before a per-site calibration
        /// (a level needs the sensor's mounting height): what the calibration must give. A
        /// sensor of this profile without `[sensors.calibration] <quantity>` is refused.
        public var calibrationRequired: String?
    }

    /// The folder name in `devices/`, which configs use as `profile = "…"`.
    public var id: String
    public var model: String
    public var manufacturer: String
    /// What it measures, in a few words (`soil temperature probe`).
    public var category: String
    /// How payloads are decoded; the core knows `json`.
    public var decoder: String
    /// Default JSON path of the device's own timestamp, if it sends one.
    public var timeField: String?
    public var quantities: [Quantity]

    public func quantity(named name: String) -> Quantity? {
        quantities.first { $0.name == name }
    }
}
