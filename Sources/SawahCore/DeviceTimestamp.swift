import FoundationEssentials

/// Reads a device's own timestamp and decides whether to believe it.
///
/// Nodes without a real-time clock send 1970 after a reboot, and a drifting clock can run ahead;
/// such a time is replaced by the receive time and the reading is flagged, never dropped.
public enum DeviceTimestamp {
    /// 2020-01-01T00:00:00Z: no farm sensor reading predates it.
    public static let earliestPlausible: Int64 = 1_577_836_800_000
    /// How far ahead of the gateway's clock a device may be.
    public static let allowedSkewMilliseconds: Int64 = 5 * 60 * 1000

    /// Milliseconds since 1970 from a JSON number (seconds, milliseconds or microseconds,
    /// told apart by magnitude) or an ISO 8601 string; nil when it is neither.
    public static func milliseconds(from value: JSONValue) -> Int64? {
        switch value {
        case .number(let number) where number.isFinite && number > 0:
            if number < 1e11 { return Int64(number * 1000) }
            if number < 1e14 { return Int64(number) }
            if number < 1e17 { return Int64(number / 1000) }
            return nil
        case .string(let text):
            if let number = Double(text), number.isFinite { return milliseconds(from: .number(number)) }
            return iso8601(text)
        default:
            return nil
        }
    }

    private static func iso8601(_ text: String) -> Int64? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? withFraction.parse(text) { return Int64(date.timeIntervalSince1970 * 1000) }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return Int64(date.timeIntervalSince1970 * 1000) }
        return nil
    }

    /// The observed time to store and the flag that says where it came from.
    ///
    /// A device's time is only held against the gateway's clock when that clock is
    /// synchronised: a Pi that booted with last week's time (or 1970) would otherwise call a
    /// node with a good clock "in the future" and replace its time with a wrong one. Without a
    /// synchronised clock, a device time from 2020 on is kept as it is, and the reading is
    /// flagged `unsynchronisedGatewayClock` either way.
    public static func resolve(_ device: JSONValue?, receivedAt: Int64, gatewayClockSynchronised: Bool = true) -> (Int64, QualityFlags) {
        let clockFlag: QualityFlags = gatewayClockSynchronised ? [] : .unsynchronisedGatewayClock
        guard let device else { return (receivedAt, [.receiveTime, clockFlag]) }
        guard let millis = milliseconds(from: device), millis >= earliestPlausible,
            !gatewayClockSynchronised || millis <= receivedAt + allowedSkewMilliseconds
        else { return (receivedAt, [.receiveTime, .implausibleDeviceTime, clockFlag]) }
        return (millis, clockFlag)
    }
}
