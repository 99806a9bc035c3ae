import ArgumentParser
import Logging
import SawahCore
import SawahMetrics
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// `sawah metrics serve`: the Prometheus endpoint, as its own small process beside sawahd.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Prometheus metrics for the gateway.", subcommands: [Serve.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve GET /metrics (address and port from [metrics], default 127.0.0.1:9464) until SIGTERM.")
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

        func run() async throws {
            let loaded = try SawahCoreBridge.config(config)
            let logger = Logger(label: "sawah-metrics")
            let service = MetricsService(config: loaded, logger: logger)
            let signals = ShutdownSignals()
            let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
            signals.attach(group)
            try await group.run()
        }
    }
}
