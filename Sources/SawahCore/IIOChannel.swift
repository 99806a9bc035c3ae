import FoundationEssentials

/// One channel of a Linux IIO device (`/sys/bus/iio/devices/iio:deviceN`): `<channel>_raw`,
/// with `<channel>_scale` and `<channel>_offset` (or the type-wide `in_<type>_scale`), read as
/// `(raw + offset) * scale` in the kernel's units (millidegrees, milli-percent, kPa, mV).
public struct IIOChannel: Sendable {
    /// The device folder.
    public var device: String
    /// The channel prefix, such as `in_temp`, `in_humidityrelative`, `in_voltage0`.
    public var channel: String

    public init(device: String, channel: String) {
        self.device = device
        self.channel = channel
    }

    public func read() -> Result<Double, SensorReadProblem> {
        guard let rawText = Self.text("\(device)/\(channel)_raw") else {
            return .failure(.init("\(device)/\(channel)_raw is missing or unreadable (device gone?)"))
        }
        guard let raw = Double(rawText) else { return .failure(.init("\(device)/\(channel)_raw holds \"\(rawText)\", not a number")) }
        // in_voltage0 shares in_voltage_scale; in_temp has its own.
        let type = String(channel.prefix { !$0.isNumber })
        var scale = 1.0
        for path in ["\(device)/\(channel)_scale", "\(device)/\(type)_scale"] {
            if let text = Self.text(path) {
                guard let value = Double(text) else { return .failure(.init("\(path) holds \"\(text)\", not a number")) }
                scale = value
                break
            }
        }
        var offset = 0.0
        for path in ["\(device)/\(channel)_offset", "\(device)/\(type)_offset"] {
            if let text = Self.text(path) {
                guard let value = Double(text) else { return .failure(.init("\(path) holds \"\(text)\", not a number")) }
                offset = value
                break
            }
        }
        // Rounded to a millionth, as calibrations are: 61230 × 0.001 is 61.230000000000004 in binary.
        return .success(((raw + offset) * scale * 1e6).rounded() / 1e6)
    }

    static func text(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
