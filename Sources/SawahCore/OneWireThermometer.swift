import FoundationEssentials

/// A DS18B20 (1-Wire family 28) read through the kernel's w1_therm driver:
/// `/sys/bus/w1/devices/28-<serial>/w1_slave` holds two lines, the scratchpad bytes with the
/// driver's CRC verdict, then the same bytes with `t=<millidegrees>`.
public enum OneWireThermometer {
    /// Temperature in °C, or why the reading cannot be trusted.
    public static func parse(_ text: String) -> Result<Double, SensorReadProblem> {
        let lines = text.split(separator: "\n")
        guard lines.count >= 2 else { return .failure(.init("w1_slave has \(lines.count) line(s), expected 2: \"\(text.prefix(60))\"")) }
        guard lines[0].hasSuffix("YES") else { return .failure(.init("CRC error reported by the kernel: \"\(lines[0])\"")) }
        let bytes = lines[0].split(separator: " ").prefix(9).compactMap { UInt8($0, radix: 16) }
        guard bytes.count == 9, crc8(bytes.prefix(8)) == bytes[8] else {
            return .failure(.init("scratchpad CRC does not match: \"\(lines[0])\""))
        }
        guard let range = lines[1].range(of: "t="), let milli = Int(lines[1][range.upperBound...].trimmingCharacters(in: .whitespaces)) else {
            return .failure(.init("no t= value: \"\(lines[1])\""))
        }
        // 85 °C is the scratchpad's power-on value: the probe reset (a brown-out on a long
        // cable) and has not converted yet. A real 85 °C reading is not a soil temperature.
        if milli == 85_000 { return .failure(.init("85 °C power-on value (the probe reset before converting); not stored")) }
        return .success(Double(milli) / 1000)
    }

    /// Dallas/Maxim CRC-8 (polynomial x⁸ + x⁵ + x⁴ + 1, reflected 0x8C).
    static func crc8<S: Sequence>(_ bytes: S) -> UInt8 where S.Element == UInt8 {
        var crc: UInt8 = 0
        for byte in bytes {
            var value = byte
            for _ in 0..<8 {
                let mix = (crc ^ value) & 0x01
                crc >>= 1
                if mix != 0 { crc ^= 0x8C }
                value >>= 1
            }
        }
        return crc
    }
}

/// Why a sysfs sensor gave no reading; logged, flagged, and the sensor is tried again.
public struct SensorReadProblem: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
