import ArgumentParser
import Logging
import SawahCore
import SawahSystem
import SawahWeb
import ServiceLifecycle

/// `sawah web`: the status page, as its own small process beside sawahd (unit sawah-web).
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Serve the gateway's read-only status page ([web]: address and port, default 127.0.0.1:8464; token_file) until SIGTERM.")
    @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

    func run() async throws {
        let loaded = try SawahCoreBridge.config(config)
        let logger = Logger(label: "sawah-web")
        let service: WebService
        do {
            service = try WebService(config: loaded, logger: logger) { port in
                logger.notice(
                    "status page at http://\(loaded.web.address):\(port)/", metadata: ["token": "\(loaded.web.tokenFile == nil ? "none" : "required")"])
            }
        } catch {
            // A token file that cannot be used is a configuration problem: exit 78 as sawahd does.
            throw SawahCoreBridge.unusable(config, error)
        }
        let signals = ShutdownSignals()
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
        signals.attach(group)
        try await group.run()
    }
}
