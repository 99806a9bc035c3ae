import ArgumentParser
import Foundation
import SawahCore
import SawahProvisioning

/// `sawah firmware render`: a node's ESPHome or Tasmota configuration from the gateway config.
struct FirmwareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware",
        abstract: "Configurations for field-node firmware that match the gateway's config.",
        subcommands: [Render.self])

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a ready ESPHome or Tasmota configuration for a node (its password comes from `sawah node add`; never printed).",
            discussion: """
                ESPHome: writes <node>.yaml and secrets.yaml (mode 0600; fill in the Wi-Fi there), then \
                `esphome run <node>.yaml` flashes it. The node's sensors need format = "esphome" and topics like \
                "<node>/<sensor>/sensor/+/state". Tasmota: writes <node>.tasmota.txt with the console commands; its \
                sensors need format = "tasmota" and topic "tele/<node>/SENSOR".
                """)
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
        @Option(help: "The node id, as [[sensors]] name it in `node`.") var node: String
        @Option(help: "esphome or tasmota.") var kind: String = "esphome"
        @Option(help: "ESPHome template: soil-node or weather-node (firmware-configs/esphome/).") var template = "soil-node"
        @Option(help: "Seconds between readings.") var updateInterval = 60
        @Option(help: "Battery node: minutes of deep sleep between readings.") var deepSleep: Int?
        @Option(help: "The gateway's address as nodes reach it (default: [broker] listen_address).") var brokerHost: String?
        @Option(help: "The firmware-configs folder with the templates.") var templates: String?
        @Option(name: .shortAndLong, help: "Folder to write into.") var output: String = "."

        func run() throws {
            guard let kind = FirmwareRenderer.Kind(rawValue: kind) else { throw ValidationError("--kind: expected esphome or tasmota, found \"\(self.kind)\"") }
            guard (10...86_400).contains(updateInterval) else { throw ValidationError("--update-interval: 10 to 86400 seconds") }
            let loaded = try SawahCoreBridge.config(config)
            let library: DeviceLibrary
            do { library = try DeviceLibrary.load(directory: loaded.devicesDirectory) } catch {
                throw ValidationError("cannot read the device library \(loaded.devicesDirectory):\n\(error)")
            }
            var options = FirmwareRenderer.Options(brokerHost: brokerHost ?? loaded.broker.listenAddress)
            if brokerHost == nil && (options.brokerHost == "0.0.0.0" || options.brokerHost == "::") {
                throw ValidationError("[broker] listens on all addresses: give --broker-host, the address nodes reach the gateway at")
            }
            options.template = template
            options.updateSeconds = updateInterval
            options.deepSleepMinutes = deepSleep
            let renderer = FirmwareRenderer(config: loaded, library: library, templates: templates ?? Self.defaultTemplates())
            do {
                let password = try NodeProvisioner(config: loaded).password(for: node)
                let written = try renderer.write(node: node, kind: kind, password: password, options: options, into: output)
                for file in written { print("wrote \(file)") }
            } catch {
                FileHandle.standardError.write(Data("sawah firmware render: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }

        /// The installed templates, or the source tree's when run from a clone.
        static func defaultTemplates() -> String {
            let installed = "/usr/share/sawah/firmware-configs"
            if FileManager.default.fileExists(atPath: installed) { return installed }
            return FileManager.default.currentDirectoryPath + "/firmware-configs"
        }
    }
}
