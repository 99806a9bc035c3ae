import Foundation
import SawahCore
import TOMLKit

/// `sawah firmware render`: a ready configuration for a field node's firmware that matches the
/// gateway's config — the broker and the node's own credentials, its topics, its sensor
/// components on the template's pins, the update interval and deep sleep for battery nodes.
public struct FirmwareRenderer {
    public enum Kind: String, Sendable, CaseIterable {
        case esphome
        case tasmota
    }

    public struct Options: Sendable {
        /// `soil-node` or `weather-node` (files in `firmware-configs/esphome/`).
        public var template = "soil-node"
        public var updateSeconds = 60
        /// Battery nodes: sleep this long between readings (nil: stay awake).
        public var deepSleepMinutes: Int?
        /// The address nodes reach the broker at (the gateway's LAN address).
        public var brokerHost: String

        public init(brokerHost: String) {
            self.brokerHost = brokerHost
        }
    }

    public let config: GatewayConfiguration
    public let library: DeviceLibrary
    /// The `firmware-configs` folder with the templates.
    public let templates: String

    public init(config: GatewayConfiguration, library: DeviceLibrary, templates: String) {
        self.config = config
        self.library = library
        self.templates = templates
    }

    /// The node's sensors, each with its profile.
    func sensors(of node: String) throws(ProvisioningError) -> [(GatewayConfiguration.Sensor, DeviceProfile)] {
        let sensors = config.sensors.filter { $0.node == node }
        guard !sensors.isEmpty else { throw .unknownNode(node) }
        return try sensors.map { sensor throws(ProvisioningError) in
            guard let profile = library.profiles[sensor.profile] else { throw .other("sensor \(sensor.id): no device profile \(sensor.profile)") }
            return (sensor, profile)
        }
    }

    /// Profiles whose value is a count of pulses (a rain gauge's tips, an anemometer's turns, a
    /// flow meter's pulses): only a node that is awake counts them.
    static let pulseProfiles: Set<String> = ["tipping-bucket-rain-gauge", "cup-anemometer", "yf-s201-flow-meter"]

    /// A battery node that sleeps cannot count pulses: the ESP32's pulse counter and Tasmota's
    /// counters stop in deep sleep, so every tip of a rain gauge during the sleep would be lost
    /// and the rainfall total silently wrong. Refused, naming the sensor and what to do.
    func refusePulsesAsleep(_ sensors: [(GatewayConfiguration.Sensor, DeviceProfile)], options: Options, firmware: String)
        throws(ProvisioningError)
    {
        guard let minutes = options.deepSleepMinutes else { return }
        for (sensor, profile) in sensors where Self.pulseProfiles.contains(profile.id) {
            throw .other(
                "sensor \(sensor.id) (\(profile.id)) counts pulses, and \(firmware) does not count them in deep sleep: every pulse in the \(minutes) min of sleep would be lost and the total silently wrong. Render this node without --deep-sleep (keep it powered), or put the pulse sensor on a node that stays awake"
            )
        }
    }

    /// The ESPHome YAML and its `secrets.yaml` (MQTT password; Wi-Fi to fill in).
    public func esphome(node: String, password: String, options: Options) throws(ProvisioningError) -> (yaml: String, secrets: String) {
        let pins = try loadPins(options.template)
        var components = ESPHomeComponents(pins: pins, updateSeconds: options.updateSeconds)
        let sensors = try sensors(of: node)
        try refusePulsesAsleep(sensors, options: options, firmware: "an ESP32's pulse counter")
        for (sensor, profile) in sensors {
            guard sensor.format == .esphome else {
                throw .other("sensor \(sensor.id): an ESPHome node's sensors need format = \"esphome\" (found \"\(sensor.format.rawValue)\")")
            }
            let topic = try Self.stateTopic(sensor, profile: profile)
            try components.add(sensor: sensor, profile: profile, topic: topic)
        }
        guard let template = try? String(contentsOfFile: "\(templates)/esphome/\(options.template).yaml.in", encoding: .utf8) else {
            throw .unreadable("\(templates)/esphome/\(options.template).yaml.in")
        }
        var deepSleep = ""
        if let minutes = options.deepSleepMinutes {
            // Awake long enough to join Wi-Fi, connect, read and publish with QoS 1.
            deepSleep = "\ndeep_sleep:\n  run_duration: 30s\n  sleep_duration: \(minutes)min\n"
        }
        let yaml =
            template
            .replacingOccurrences(of: "{{node}}", with: node)
            .replacingOccurrences(of: "{{gateway}}", with: config.gatewayID)
            .replacingOccurrences(of: "{{config}}", with: config.file)
            .replacingOccurrences(of: "{{broker_host}}", with: options.brokerHost)
            .replacingOccurrences(of: "{{broker_port}}", with: String(config.broker.port))
            .replacingOccurrences(of: "{{components}}", with: components.yaml)
            .replacingOccurrences(of: "{{deep_sleep}}", with: deepSleep)
        let secrets = """
            # Secrets for \(node), written by `sawah firmware render` (mode 0600). Fill in the Wi-Fi.
            wifi_ssid: "CHANGE-ME"
            wifi_password: "CHANGE-ME-TOO"
            mqtt_password: "\(password)"

            """
        return (yaml, secrets)
    }

    /// The topic a value of `field` is published to: the sensor's topic with its `+` level
    /// replaced by the field (`plot1-node/soil/sensor/+/state`), or the topic itself for a
    /// one-quantity sensor on an exact topic.
    static func stateTopic(_ sensor: GatewayConfiguration.Sensor, profile: DeviceProfile) throws(ProvisioningError) -> (String) -> String {
        let levels = sensor.topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard levels.count >= 4, levels.last == "state", levels[levels.count - 3] == "sensor" else {
            throw .other("sensor \(sensor.id): an ESPHome topic looks like \"<node>/<sensor>/sensor/+/state\", found \"\(sensor.topic)\"")
        }
        if levels[levels.count - 2] == "+" {
            return { field in (levels.dropLast(2) + [field, "state"]).joined(separator: "/") }
        }
        guard profile.quantities.count == 1 else {
            throw .other(
                "sensor \(sensor.id): profile \(profile.id) has \(profile.quantities.count) quantities; give the topic a + level for them (\"\(levels.dropLast(2).joined(separator: "/"))/+/state\")"
            )
        }
        return { _ in sensor.topic }
    }

    func loadPins(_ template: String) throws(ProvisioningError) -> ESPHomeComponents.Pins {
        let path = "\(templates)/esphome/\(template).pins.toml"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let table = try? TOMLTable(string: text) else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: "\(templates)/esphome")) ?? [])
                .filter { $0.hasSuffix(".yaml.in") }.map { String($0.dropLast(8)) }.sorted()
            throw .other("no ESPHome template \"\(template)\" (\(path)); templates: \(known.joined(separator: ", "))")
        }
        func pin(_ key: String) throws(ProvisioningError) -> String {
            guard let value = table[key]?.string else { throw .malformed(file: path, line: 0, problem: "\(key): expected a pin name") }
            return value
        }
        func pins(_ key: String) throws(ProvisioningError) -> [String] {
            guard let array = table[key]?.array else { throw .malformed(file: path, line: 0, problem: "\(key): expected a list of pins") }
            return array.compactMap { $0.string }
        }
        return .init(
            oneWire: try pin("one_wire"), adc: try pins("adc"), pulse: try pins("pulse"), i2cSDA: try pin("i2c_sda"),
            i2cSCL: try pin("i2c_scl"), ultrasonicTrigger: try pin("ultrasonic_trigger"), ultrasonicEcho: try pin("ultrasonic_echo"))
    }
}

extension FirmwareRenderer {
    /// Renders and writes the node's files (mode 0600: they hold its password); returns their paths.
    public func write(node: String, kind: Kind, password: String, options: Options, into directory: String) throws(ProvisioningError) -> [String] {
        switch kind {
        case .esphome:
            let (yaml, secrets) = try esphome(node: node, password: password, options: options)
            let files = [("\(directory)/\(node).yaml", yaml), ("\(directory)/secrets.yaml", secrets)]
            for (path, text) in files { try ProvisioningFiles.writeAtomically(text, to: path, mode: 0o600) }
            return files.map(\.0)
        case .tasmota:
            let path = "\(directory)/\(node).tasmota.txt"
            try ProvisioningFiles.writeAtomically(try tasmota(node: node, password: password, options: options), to: path, mode: 0o600)
            return [path]
        }
    }
}
