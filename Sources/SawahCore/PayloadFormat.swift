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

    /// What a message carries once its wrapper is taken off.
    struct Envelope {
        var values: JSONValue
        /// The device's own time, when the message names one.
        var time: JSONValue?
        /// The strongest gateway's RSSI and SNR, for LoRaWAN server messages.
        var link: LinkQuality?
    }

    /// The values, the device time and the radio link of a message (parsed once), or the
    /// reason it carries none. `bytes` decodes the raw uplink of a LoRaWAN server message
    /// (ChirpStack `data`, The Things Stack `frm_payload`); without it the server's decoded
    /// object is used.
    func envelope(payload: [UInt8], topic: String, timeField: String?, bytes: ByteDecoder? = nil) -> Result<Envelope, FormatProblem> {
        if self == .esphome { return esphome(payload: payload, topic: topic) }
        let document: JSONValue
        do {
            document = try JSONValue.parse(payload)
        } catch {
            return .failure(FormatProblem(error.description))
        }
        switch self {
        case .json, .esphome:
            return .success(Envelope(values: document, time: timeField.flatMap { document.value(at: $0) }))
        case .tasmota:
            guard case .object = document else { return .failure(FormatProblem("a Tasmota SENSOR message is a JSON object, found \(document.kind)")) }
            return .success(Envelope(values: document, time: document.value(at: timeField ?? "Time")))
        case .chirpstack, .ttn:
            let chirpstack = self == .chirpstack
            let time =
                chirpstack
                ? document.value(at: timeField ?? "time")
                : document.value(at: timeField ?? "uplink_message.received_at") ?? document.value(at: "received_at")
            let link = Self.link(in: document, receptions: chirpstack ? "rxInfo" : "uplink_message.rx_metadata")
            let values: Result<JSONValue, FormatProblem>
            if let bytes {
                values =
                    chirpstack
                    ? Self.rawUplink(document, data: "data", port: "fPort", server: "ChirpStack", decoder: bytes)
                    : Self.rawUplink(document, data: "uplink_message.frm_payload", port: "uplink_message.f_port", server: "The Things Stack", decoder: bytes)
            } else if let decoded = document.value(at: chirpstack ? "object" : "uplink_message.decoded_payload") {
                values = .success(decoded)
            } else {
                values = .failure(
                    FormatProblem(
                        chirpstack
                            ? "ChirpStack uplink without a decoded \"object\" (is a codec set on the device profile?)"
                            : "The Things Stack uplink without uplink_message.decoded_payload (is a payload formatter set?)"))
            }
            return values.map { Envelope(values: $0, time: time, link: link) }
        }
    }

    /// The strongest gateway's RSSI and SNR among a LoRaWAN server message's receptions
    /// (ChirpStack `rxInfo`, The Things Stack `uplink_message.rx_metadata`).
    static func link(in document: JSONValue, receptions path: String) -> LinkQuality? {
        guard case .array(let receptions)? = document.value(at: path) else { return nil }
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

    private func esphome(payload: [UInt8], topic: String) -> Result<Envelope, FormatProblem> {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count >= 4, levels[levels.count - 1] == "state", let entity = levels.dropLast().last else {
            return .failure(FormatProblem("not an ESPHome state topic (<node>/<component>/<entity>/state): \"\(topic)\""))
        }
        let text = String(decoding: payload, as: UTF8.self).trimmingWhitespace()
        guard let number = Double(text), number.isFinite else {
            return .failure(FormatProblem("ESPHome entity \(entity) reports no number: \"\(text.prefix(40))\""))
        }
        return .success(Envelope(values: .object([String(entity): .number(number)])))
    }
}

/// Why a message's wrapper held no values.
struct FormatProblem: Error {
    var description: String
    init(_ description: String) { self.description = description }
}
