import SawahCore
import SawahTraceability

/// The dashboard feed's topics and payloads: `<root>/<gw>/status`, `…/sensor/<id>/<quantity>`,
/// `…/health`, and Home Assistant discovery under `<prefix>/sensor/<object id>/config`.
public struct DashboardTopics: Sendable {
    public let root: String
    public let gatewayID: String
    public let discoveryPrefix: String

    public init(config: GatewayConfiguration) {
        root = "\(config.dashboard.topicRoot)/\(config.gatewayID)"
        gatewayID = config.gatewayID
        discoveryPrefix = config.dashboard.discoveryPrefix
    }

    public var status: String { "\(root)/status" }
    public var health: String { "\(root)/health" }
    public func value(sensor: String, quantity: String) -> String { "\(root)/sensor/\(sensor)/\(quantity)" }

    /// `{"value":…, "unit":"°C", "unit_code":"CEL", "time":"…Z", "quality":[…]}`.
    public static func valuePayload(_ reading: Reading) -> String {
        JSONText.serialize(
            .object([
                "value": .number(reading.value), "unit": .string(UnitCode.symbol(of: reading.unit)), "unit_code": .string(reading.unit),
                "time": .string(EPCISTimestamp.format(reading.observedAt)), "quality": .array(reading.quality.names.map { .string($0) })
            ]))
    }

    var gatewayDevice: JSONValue {
        .object([
            "identifiers": .array([.string("sawah_\(gatewayID)")]), "name": .string("Sawah gateway \(gatewayID)"),
            "manufacturer": .string("Sawah"), "model": .string("sawahd")
        ])
    }

    /// One retained discovery message per sensor quantity, plus the gateway's own health sensors.
    public func discovery(config: GatewayConfiguration, library: DeviceLibrary) -> [(topic: String, payload: String)] {
        var messages: [(String, String)] = []
        let availability: [String: JSONValue] = [
            "availability_topic": .string(status), "payload_available": .string("online"), "payload_not_available": .string("offline")
        ]
        for sensor in config.sensors {
            guard let profile = library.profiles[sensor.profile] else { continue }
            let node = sensor.node ?? sensor.id
            let device: JSONValue = .object([
                "identifiers": .array([.string("sawah_\(gatewayID)_\(node)")]), "name": .string(node),
                "manufacturer": .string(profile.manufacturer), "model": .string(profile.model), "via_device": .string("sawah_\(gatewayID)")
            ])
            for quantity in profile.quantities {
                let objectID = Self.objectID("sawah_\(gatewayID)_\(sensor.id)_\(quantity.name)")
                var payload: [String: JSONValue] = availability
                payload["name"] = .string(Self.label(quantity.name) + " (\(sensor.id))")
                payload["unique_id"] = .string(objectID)
                payload["object_id"] = .string(objectID)
                payload["state_topic"] = .string(value(sensor: sensor.id, quantity: quantity.name))
                payload["value_template"] = .string("{{ value_json.value }}")
                payload["json_attributes_topic"] = .string(value(sensor: sensor.id, quantity: quantity.name))
                payload["unit_of_measurement"] = .string(Self.homeAssistantUnit(quantity.unit))
                payload["state_class"] = .string("measurement")
                if let deviceClass = Self.deviceClass(measurement: quantity.measurement, unit: quantity.unit) {
                    payload["device_class"] = .string(deviceClass)
                }
                payload["device"] = device
                messages.append(("\(discoveryPrefix)/sensor/\(objectID)/config", JSONText.serialize(.object(payload))))
            }
        }
        for (field, label, unit) in [
            ("readings_per_second", "Readings per second", "readings/s"), ("quarantined_total", "Quarantined payloads", "payloads"),
            ("free_disk_bytes", "Free disk", "B")
        ] {
            let objectID = Self.objectID("sawah_\(gatewayID)_\(field)")
            var payload: [String: JSONValue] = availability
            payload["name"] = .string(label)
            payload["unique_id"] = .string(objectID)
            payload["object_id"] = .string(objectID)
            payload["state_topic"] = .string(health)
            payload["value_template"] = .string("{{ value_json.\(field) }}")
            payload["unit_of_measurement"] = .string(unit)
            payload["state_class"] = .string(field == "quarantined_total" ? "total_increasing" : "measurement")
            if field == "free_disk_bytes" { payload["device_class"] = .string("data_size") }
            payload["entity_category"] = .string("diagnostic")
            payload["device"] = gatewayDevice
            messages.append(("\(discoveryPrefix)/sensor/\(objectID)/config", JSONText.serialize(.object(payload))))
        }
        return messages
    }

    /// Home Assistant's sensor device classes for the CBV measurement types Sawah reports.
    static func deviceClass(measurement: String, unit: String) -> String? {
        switch measurement {
        case "Temperature": "temperature"
        case "RelativeHumidity": "humidity"
        case "VolumeFraction": "moisture"
        case "Pressure": "atmospheric_pressure"
        case "Length" where unit == "MMT": "precipitation"
        case "Speed": "wind_speed"
        case "Illuminance": "illuminance"
        case "Irradiance": "irradiance"
        case "Voltage": "voltage"
        case "Volume": "water"
        case "VolumeFlowRate": "volume_flow_rate"
        default: nil
        }
    }

    static func homeAssistantUnit(_ code: String) -> String {
        switch code {
        case "P1": "%"
        case "L2": "L/min"
        case "D54": "W/m²"
        default: UnitCode.symbol(of: code)
        }
    }

    /// `soil_temperature` → `Soil temperature`.
    static func label(_ name: String) -> String {
        let words = name.split(separator: "_").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// Home Assistant object ids: lowercase letters, digits and underscores.
    static func objectID(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
