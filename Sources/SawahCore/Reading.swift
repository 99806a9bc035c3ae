/// One normalised measurement: a value of one quantity from one sensor at one time.
public struct Reading: Sendable, Equatable {
    public var sensor: String
    public var quantity: String
    public var value: Double
    /// UN/ECE Recommendation 20 unit code, for example `CEL`.
    public var unit: String
    /// When the value was measured, in milliseconds since 1970 (the device's time when plausible).
    public var observedAt: Int64
    /// When the gateway received it, in milliseconds since 1970.
    public var receivedAt: Int64
    /// Where it came from: the MQTT topic, or `gpio:…`, `sysfs:…`.
    public var source: String
    public var quality: QualityFlags
    /// Radio link quality of the uplink that carried it (LoRaWAN), kept beside the reading as
    /// metadata; nil for wired and Wi-Fi sources.
    public var link: LinkQuality?

    public init(
        sensor: String, quantity: String, value: Double, unit: String,
        observedAt: Int64, receivedAt: Int64, source: String, quality: QualityFlags = [], link: LinkQuality? = nil
    ) {
        self.link = link
        self.sensor = sensor
        self.quantity = quantity
        self.value = value
        self.unit = unit
        self.observedAt = observedAt
        self.receivedAt = receivedAt
        self.source = source
        self.quality = quality
    }
}

/// Facts about how trustworthy a reading's metadata is, stored as a bit set.
public struct QualityFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// The payload had no timestamp; `observedAt` is the receive time.
    public static let receiveTime = QualityFlags(rawValue: 1)
    /// The payload's timestamp was implausible (before 2020 or in the future); receive time used.
    public static let implausibleDeviceTime = QualityFlags(rawValue: 2)
    /// A calibration from the config changed the raw value.
    public static let calibrated = QualityFlags(rawValue: 4)
    /// The gateway's clock was not synchronised (no NTP since boot, as on a board without a
    /// real-time clock) when the reading arrived: its receive time, and its observed time
    /// unless the device sent its own, come from an unchecked clock.
    public static let unsynchronisedGatewayClock = QualityFlags(rawValue: 8)
    /// The reading arrived while the clock was unsynchronised and its times were set later,
    /// once the clock was synchronised in the same boot, from the boot clock (CLOCK_BOOTTIME)
    /// it was also stamped with: the receive time, and the observed time where that was the
    /// receive time.
    public static let clockCorrected = QualityFlags(rawValue: 16)

    /// Short names, for exports and `sawah readings tail`.
    public var names: [String] {
        var result: [String] = []
        if contains(.receiveTime) { result.append("receive-time") }
        if contains(.implausibleDeviceTime) { result.append("implausible-device-time") }
        if contains(.calibrated) { result.append("calibrated") }
        if contains(.unsynchronisedGatewayClock) { result.append("unsynchronised-gateway-clock") }
        if contains(.clockCorrected) { result.append("clock-corrected") }
        return result
    }
}

/// Input that could not become readings, kept with its raw bytes and the reason
/// (DESIGN.md invariant 2: nothing is dropped silently).
public struct QuarantineRecord: Sendable, Equatable {
    public var source: String
    public var payload: [UInt8]
    /// The payload's size before any truncation for storage.
    public var payloadSize: Int
    public var reason: String
    public var receivedAt: Int64

    public init(source: String, payload: [UInt8], payloadSize: Int? = nil, reason: String, receivedAt: Int64) {
        self.source = source
        self.payload = payload
        self.payloadSize = payloadSize ?? payload.count
        self.reason = reason
        self.receivedAt = receivedAt
    }
}

/// RSSI and SNR of a LoRaWAN uplink, from the best gateway that heard it.
public struct LinkQuality: Sendable, Equatable {
    /// Received signal strength in dBm.
    public var rssi: Double?
    /// Signal-to-noise ratio in dB.
    public var snr: Double?

    public init(rssi: Double?, snr: Double?) {
        self.rssi = rssi
        self.snr = snr
    }
}
