import ArgumentParser
import Foundation
import SawahCore
import SawahStatus
import SawahSystem
import SawahTraceability

/// `sawah status`: one screen for the operator, or `--json` for scripts.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Gateway, sources, journal, disk, certificates and uplinks at a glance.")

    @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let loaded = try SawahCoreBridge.config(config)
        let status = try GatewayStatus.collect(config: loaded)
        print(json ? JSONText.serialize(status.json) : status.text)
    }
}
