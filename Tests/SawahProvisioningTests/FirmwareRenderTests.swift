import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahProvisioning

/// Rendered node configs match the gateway's config and pass the firmware's own validator
/// (`esphome config`, from PyPI, run offline).
@Suite(.serialized) struct FirmwareRenderTests {
    static let configText = """
        [gateway]
        id = "farm-gw"
        data_dir = "data"
        devices_dir = "\(ProjectPaths.root)/devices"
        [broker]
        listen_address = "192.168.4.1"
        [[sensors]]
        id = "plot1-temp"
        profile = "ds18b20"
        topic = "plot1-node/soil-temp/sensor/+/state"
        format = "esphome"
        node = "plot1-node"
        [[sensors]]
        id = "plot1-moisture"
        profile = "capacitive-soil-moisture"
        topic = "plot1-node/soil-moisture/sensor/moisture/state"
        format = "esphome"
        node = "plot1-node"
        [[sensors]]
        id = "plot1-leaf"
        profile = "leaf-wetness"
        topic = "plot1-node/leaf/sensor/+/state"
        format = "esphome"
        node = "plot1-node"
        [[sensors]]
        id = "station-air"
        profile = "bme280"
        topic = "station/air/sensor/+/state"
        format = "esphome"
        node = "station"
        [[sensors]]
        id = "station-rain"
        profile = "tipping-bucket-rain-gauge"
        topic = "station/rain/sensor/+/state"
        format = "esphome"
        node = "station"
        [sensors.calibration]
        rainfall = { scale = 0.2794 }
        [[sensors]]
        id = "station-wind"
        profile = "cup-anemometer"
        topic = "station/wind/sensor/+/state"
        format = "esphome"
        node = "station"
        [[sensors]]
        id = "station-vane"
        profile = "wind-vane"
        topic = "station/vane/sensor/+/state"
        format = "esphome"
        node = "station"
        [[sensors]]
        id = "station-sun"
        profile = "apogee-sp110-pyranometer"
        topic = "station/sun/sensor/+/state"
        format = "esphome"
        node = "station"
        [[sensors]]
        id = "canal"
        profile = "jsn-sr04t-water-level"
        topic = "station/canal/sensor/+/state"
        format = "esphome"
        node = "station"
        [[sensors]]
        id = "pump"
        profile = "yf-s201-flow-meter"
        topic = "station/pump/sensor/+/state"
        format = "esphome"
        node = "station"
        [[sensors]]
        id = "store-air"
        profile = "sht31"
        topic = "tele/store-node/SENSOR"
        format = "tasmota"
        node = "store-node"
        [sensors.fields]
        air_temperature = "SHT3X.Temperature"
        relative_humidity = "SHT3X.Humidity"
        [[sensors]]
        id = "plot2-temp"
        profile = "ds18b20"
        topic = "farm/plot2/temp"
        node = "plot2-node"
        [[sensors]]
        id = "paddy-rain"
        profile = "tipping-bucket-rain-gauge"
        topic = "tele/paddy-node/SENSOR"
        format = "tasmota"
        node = "paddy-node"
        [sensors.fields]
        rainfall = "COUNTER.C1"
        """

    static func esphome() -> String? {
        for path in ["/usr/local/bin/esphome", "/usr/bin/esphome", (ProcessInfo.processInfo.environment["HOME"] ?? "/root") + "/.local/bin/esphome"]
        where FileManager.default.isExecutableFile(atPath: path) { return path }
        let which = try? ChildProcess.run("/usr/bin/which", ["esphome"])
        let found = which?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return found.isEmpty ? nil : found
    }

    func setUp() throws -> (TemporaryDirectory, GatewayConfiguration, FirmwareRenderer) {
        let directory = try TemporaryDirectory(prefix: "sawah-firmware")
        try directory.write(Self.configText, to: "sawah.toml")
        let config = try GatewayConfiguration.parse(text: Self.configText, file: directory.file("sawah.toml"))
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        try library.validate(config)
        return (directory, config, FirmwareRenderer(config: config, library: library, templates: ProjectPaths.root + "/firmware-configs"))
    }

    @Test(arguments: [("plot1-node", "soil-node", 15), ("station", "weather-node", nil)] as [(String, String, Int?)])
    func renderedESPHomeConfigsPassEsphomeConfigAndPublishWhereTheGatewayListens(node: String, template: String, sleep: Int?) throws {
        let (directory, config, renderer) = try setUp()
        defer { directory.remove() }
        let secret = "s3cret-\(node)"
        var options = FirmwareRenderer.Options(brokerHost: config.broker.listenAddress)
        options.template = template
        options.deepSleepMinutes = sleep
        let files = try renderer.write(node: node, kind: .esphome, password: secret, options: options, into: directory.file("out"))
        let yaml = try String(contentsOfFile: files[0], encoding: .utf8)
        #expect(!yaml.contains(secret), "the password stays in secrets.yaml")
        #expect(try String(contentsOfFile: files[1], encoding: .utf8).contains("mqtt_password: \"\(secret)\""))
        #expect(try FileManager.default.attributesOfItem(atPath: files[1])[.posixPermissions] as? Int == 0o600)
        #expect(yaml.contains("broker: 192.168.4.1") && yaml.contains("username: \(node)"))
        #expect(yaml.contains("deep_sleep:") == (sleep != nil))

        // Every value the node publishes lands on the sensor (and the quantity) the gateway expects.
        let router = SensorRouter(config: config, library: try DeviceLibrary.load(directory: config.devicesDirectory))
        let topics = yaml.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("state_topic: ") ? String(text.dropFirst("state_topic: ".count)) : nil
        }
        let expected = config.sensors.filter { $0.node == node }.reduce(0) { count, sensor in
            count + (try! DeviceLibrary.load(directory: config.devicesDirectory)).profiles[sensor.profile]!.quantities.count
        }
        #expect(topics.count == expected, "one published value per quantity: \(topics)")
        for topic in topics {
            let normaliser = try #require(router.normaliser(for: topic), "no gateway sensor listens on \(topic)")
            #expect(normaliser.sensor.node == node)
            let outcome = normaliser.normalise(payload: Array("1".utf8), source: topic, receivedAt: 1_764_403_200_000)
            #expect(outcome.readings.count == 1 || outcome.problems.contains { $0.contains("outside the valid range") }, "\(topic): \(outcome.problems)")
        }

        guard let esphome = Self.esphome() else {
            Issue.record("esphome is not installed (scripts/install-deps installs it from PyPI): the rendered config cannot be validated")
            return
        }
        let result = try ChildProcess.run(esphome, ["config", files[0]], timeout: 120)
        #expect(result.status == 0 && result.output.contains("Configuration is valid!"), "\(result.output.suffix(3000))")
    }

    @Test func tasmotaCommandsCarryTheBrokerTheNodeAndItsSensors() throws {
        let (directory, config, renderer) = try setUp()
        defer { directory.remove() }
        var options = FirmwareRenderer.Options(brokerHost: config.broker.listenAddress)
        options.updateSeconds = 300
        options.deepSleepMinutes = 30
        let text = try renderer.tasmota(node: "store-node", password: "pw", options: options)
        #expect(text.contains("Backlog MqttHost 192.168.4.1; MqttPort 1883; MqttUser store-node; MqttPassword pw; MqttClient store-node"))
        #expect(text.contains("Backlog Topic store-node; FullTopic %prefix%/%topic%/; TelePeriod 300"))
        #expect(text.contains("DeepSleepTime 1800"))
        #expect(text.contains("air_temperature ← SHT3X.Temperature"))
    }

    /// A sleeping node's pulse counter stops: the rain that fell while it slept would be lost
    /// without a trace. Refused for both firmwares; the same nodes render when kept awake.
    @Test func aPulseSensorOnASleepingNodeIsRefused() throws {
        let (directory, config, renderer) = try setUp()
        defer { directory.remove() }
        var asleep = FirmwareRenderer.Options(brokerHost: config.broker.listenAddress)
        asleep.template = "weather-node"
        asleep.deepSleepMinutes = 15
        do {
            _ = try renderer.esphome(node: "station", password: "x", options: asleep)
            Issue.record("a rain gauge on an ESPHome node in deep sleep must be refused")
        } catch {
            #expect(error.description.contains("sensor station-rain (tipping-bucket-rain-gauge) counts pulses"), "\(error)")
            #expect(error.description.contains("every pulse in the 15 min of sleep would be lost"))
        }
        do {
            _ = try renderer.tasmota(node: "paddy-node", password: "x", options: asleep)
            Issue.record("a rain gauge on a Tasmota node with DeepSleepTime must be refused")
        } catch {
            #expect(error.description.contains("sensor paddy-rain (tipping-bucket-rain-gauge) counts pulses, and Tasmota"), "\(error)")
        }
        var awake = asleep
        awake.deepSleepMinutes = nil
        #expect(try renderer.esphome(node: "station", password: "x", options: awake).yaml.contains("pulse_counter"))
        #expect(try renderer.tasmota(node: "paddy-node", password: "x", options: awake).contains("Counter1"))
        // Sensors that read in the moment may sleep between readings.
        var soil = asleep
        soil.template = "soil-node"
        #expect(try renderer.esphome(node: "plot1-node", password: "x", options: soil).yaml.contains("deep_sleep:"))
    }

    @Test func nodesThatDoNotFitTheFirmwareAreRefusedWithTheReason() throws {
        let (directory, config, renderer) = try setUp()
        defer { directory.remove() }
        let options = FirmwareRenderer.Options(brokerHost: config.broker.listenAddress)
        #expect(throws: ProvisioningError.other("sensor plot2-temp: an ESPHome node's sensors need format = \"esphome\" (found \"json\")")) {
            try renderer.esphome(node: "plot2-node", password: "x", options: options)
        }
        #expect(throws: ProvisioningError.unknownNode("nowhere")) { try renderer.esphome(node: "nowhere", password: "x", options: options) }
        var badTemplate = options
        badTemplate.template = "orchard-node"
        do {
            _ = try renderer.esphome(node: "plot1-node", password: "x", options: badTemplate)
            Issue.record("an unknown template must be refused")
        } catch {
            #expect(error.description.contains("no ESPHome template \"orchard-node\"") && error.description.contains("soil-node, weather-node"))
        }
        #expect(throws: ProvisioningError.self) { try NodeProvisioner(config: config).password(for: "plot1-node") }
    }
}
