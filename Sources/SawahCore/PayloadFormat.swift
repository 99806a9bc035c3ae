import FoundationEssentials

/// How a sensor's messages are wrapped, chosen per sensor (`format` in `[[sensors]]`): where the
/// values sit, and where the device's own time is. The profile's field paths then apply to the
/// values.
public enum PayloadFormat: String, Sendable, CaseIterable {
    /// Plain JSON; fields and time where the profile and sensor say.
    case json
    /// ESPHome MQTT: `<node>/sensor/<entity>/state` carrying a bare number; the values become
    /// `{"<entity>": number}`.
    case esphome
    /// Tasmota `tele/<node>/SENSOR`: `{"Time": …, "<Sensor>": {…}}`.
    case tasmota
    /// ChirpStack v4 uplink event: the codec's `object`, time in `time`.
    case chirpstack
    /// The Things Stack v3 uplink: `uplink_message.decoded_payload`, time in `received_at`.
    case ttn

    /// The values and the device time for a message, or the reason it carries none.
    /// `bytes` decodes the raw uplink of a LoRaWAN server message (ChirpStack `data`, The Things
    /// Stack `frm_payload`); without it the server's decoded object is used.
    func envelope(payload: [UInt8], topic: String, timeField: String?, bytes: ByteDecoder? = nil) -> Result<(values: JSONValue, time: JSONValue?), FormatProblem> {
        if self == .esphome { return esphome(payload: payload, topic: topic) }
        let document: JSONValue
        do {
            document = try JSONValue.parse(payload)
        } catch {
            return .failure(FormatProblem(error.description))
        }
        switch self {
        case .json, .esphome:
            return .success((document, timeField.flatMap { document.value(at: $0) }))
        case .tasmota:
            guard case .object = document else { return .failure(FormatProblem("a Tasmota SENSOR message is a JSON object, found \(document.kind)")) }
            return .success((document, document.value(at: timeField ?? "Time")))
        case .chirpstack:
            if let bytes {
                return Self.rawUplink(document, data: "data", port: "fPort", server: "ChirpStack", decoder: bytes)
                    .map { ($0, document.value(at: timeField ?? "time")) }
            }
            guard let values = document.value(at: "object") else {
                return .failure(FormatProblem("ChirpStack uplink without a decoded \"object\" (is a codec set on the device profile?)"))
            }
            return .success((values, document.value(at: timeField ?? "time")))
        case .ttn:
            if let bytes {
                return Self.rawUplink(document, data: "uplink_message.frm_payload", port: "uplink_message.f_port", server: "The Things Stack", decoder: bytes)
                    .map { ($0, document.value(at: timeField ?? "uplink_message.received_at") ?? document.value(at: "received_at")) }
            }
            guard let values = document.value(at: "uplink_message.decoded_payload") else {
                return .failure(FormatProblem("The Things Stack uplink without uplink_message.decoded_payload (is a payload formatter set?)"))
            }
            return .success((values, document.value(at: timeField ?? "uplink_message.received_at") ?? document.value(at: "received_at")))
        }
    }

    /// The strongest gateway's RSSI and SNR in a LoRaWAN server's uplink message (ChirpStack
    /// `rxInfo`, The Things Stack `uplink_message.rx_metadata`); nil for other formats.
    func link(in payload: [UInt8]) -> LinkQuality? {
        let path: String
        switch self {
        case .chirpstack: path = "rxInfo"
        case .ttn: path = "uplink_message.rx_metadata"
        default: return nil
        }
        guard let document = try? JSONValue.parse(payload), case .array(let receptions)? = document.value(at: path) else { return nil }
        var best: LinkQuality?
        for reception in receptions {
            var rssi: Double?
            var snr: Double?
            if case .number(let value)? = reception.value(at: "rssi") { rssi = value }
            if case .number(let value)? = reception.value(at: "snr") { snr = value }
            guard rssi != nil || snr != nil else { continue }
            if best == nil || (rssi ?? -.infinity) > (best?.rssi ?? -.infinity) { best = LinkQuality(rssi: rssi, snr: snr) }
        }
        return best
    }

    /// The base64 uplink bytes of a LoRaWAN server message, decoded by the device's format.
    private static func rawUplink(_ document: JSONValue, data: String, port: String, server: String, decoder: ByteDecoder) -> Result<JSONValue, FormatProblem> {
        guard case .string(let encoded)? = document.value(at: data) else {
            return .failure(FormatProblem("\(server) uplink without \"\(data)\" (the raw payload the \(decoder.rawValue) decoder reads)"))
        }
        guard let bytes = Data(base64Encoded: encoded).map({ Array($0) }) else {
            return .failure(FormatProblem("\(server) uplink \"\(data)\" is not base64: \"\(encoded.prefix(40))\""))
        }
        var fPort: Int?
        if case .number(let number)? = document.value(at: port) { fPort = Int(exactly: number) }
        return decoder.decode(bytes, port: fPort)
    }

    private func esphome(payload: [UInt8], topic: String) -> Result<(values: JSONValue, time: JSONValue?), FormatProblem> {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count >= 4, levels[levels.count - 1] == "state", let entity = levels.dropLast().last else {
            return .failure(FormatProblem("not an ESPHome state topic (<node>/<component>/<entity>/state): \"\(topic)\""))
        }
        let text = String(decoding: payload, as: UTF8.self).trimmingWhitespace()
        guard let number = Double(text), number.isFinite else {
            return .failure(FormatProblem("ESPHome entity \(entity) reports no number: \"\(text.prefix(40))\""))
        }
        return .success((.object([String(entity): .number(number)]), nil))
    }
}

/// Why a message's wrapper held no values.
struct FormatProblem: Error {
    var description: String
    init(_ description: String) { self.description = description }
}
