/// Decoders for LoRaWAN sensors' own uplink bytes, for network servers that forward the raw
/// payload (ChirpStack's `data`, The Things Stack's `frm_payload`) without a codec. Each turns
/// the bytes into named values that the device profile's fields then pick from. Formats are
/// the makers' published ones; see each profile's README.
public enum ByteDecoder: String, Sendable, CaseIterable {
    /// Dragino LSE01 soil moisture, temperature and EC sensor: 11 bytes on port 2.
    case draginoLSE01 = "dragino-lse01"
    /// Dragino LHT65 temperature and humidity sensor with optional external probe: 11 bytes on port 2.
    case draginoLHT65 = "dragino-lht65"

    func decode(_ bytes: [UInt8], port: Int?) -> Result<JSONValue, FormatProblem> {
        switch self {
        case .draginoLSE01: Self.lse01(bytes, port: port)
        case .draginoLHT65: Self.lht65(bytes, port: port)
        }
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    static func s16(_ bytes: [UInt8], _ at: Int) -> Int { Int(Int16(bitPattern: UInt16(u16(bytes, at)))) }

    private static func check(_ bytes: [UInt8], port: Int?, model: String, length: Int) -> FormatProblem? {
        if let port, port != 2 { return FormatProblem("\(model) uplink on port \(port) carries no measurements (they come on port 2)") }
        if bytes.count != length { return FormatProblem("\(model) measurement uplink is \(length) bytes, found \(bytes.count)") }
        return nil
    }

    /// Battery (mV, low 14 bits), internal temperature (0.1 °C, signed), soil moisture (0.01 %),
    /// soil temperature (0.01 °C, signed), conductivity (µS/cm), then a flags byte.
    static func lse01(_ bytes: [UInt8], port: Int?) -> Result<JSONValue, FormatProblem> {
        if let problem = check(bytes, port: port, model: "Dragino LSE01", length: 11) { return .failure(problem) }
        return .success(
            .object([
                "battery_v": .number(Double(u16(bytes, 0) & 0x3FFF) / 1000),
                "internal_temperature": .number(Double(s16(bytes, 2)) / 10),
                "soil_moisture": .number(Double(u16(bytes, 4)) / 100),
                "soil_temperature": .number(Double(s16(bytes, 6)) / 100),
                "soil_conductivity": .number(Double(u16(bytes, 8)))
            ]))
    }

    /// Battery (mV, low 14 bits), SHT temperature (0.01 °C, signed), humidity (0.1 %, low 12
    /// bits), a byte whose low nibble names the external sensor (1: a DS18B20 probe) and whose
    /// top bit says it is disconnected, then the probe's temperature (0.01 °C, signed).
    static func lht65(_ bytes: [UInt8], port: Int?) -> Result<JSONValue, FormatProblem> {
        if let problem = check(bytes, port: port, model: "Dragino LHT65", length: 11) { return .failure(problem) }
        let external = bytes[6] & 0x0F
        var values: [String: JSONValue] = [
            "battery_v": .number(Double(u16(bytes, 0) & 0x3FFF) / 1000),
            "temperature": .number(Double(s16(bytes, 2)) / 100),
            "humidity": .number(Double(u16(bytes, 4) & 0x0FFF) / 10)
        ]
        // 0x7FFF is the firmware's "no probe reading" (327.67 °C).
        if external == 1, bytes[6] & 0x80 == 0, u16(bytes, 7) != 0x7FFF {
            values["external_temperature"] = .number(Double(s16(bytes, 7)) / 100)
        }
        return .success(.object(values))
    }
}
