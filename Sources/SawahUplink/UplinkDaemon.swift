import Foundation
import Logging
import SawahCore
import SawahStatus
import SawahSystem
import SawahJournal
import ServiceLifecycle

/// Everything `sawah-uplink` runs: the uplink service over the gateway's journal, with
/// systemd's READY=1 and STOPPING=1. It shares `sawah.toml` and the journal with `sawahd`,
/// and writes only the deliveries table.
public struct UplinkDaemon {
    public let config: GatewayConfiguration

    /// Loads the config and checks every platform's files (CA, key and chain, credential).
    /// All problems are reported together; the caller exits 78 (EX_CONFIG).
    public static func check(configPath: String) throws(ConfigErrors) -> UplinkDaemon {
        let config = try GatewayConfiguration.load(path: configPath)
        var problems: [ConfigError] = []
        if config.platforms.isEmpty {
            problems.append(ConfigError(file: config.file, key: "platforms", problem: "no [[platforms]] to deliver to"))
        }
        for problem in UplinkService.check(config.platforms, identityKeyFile: config.traceability?.identityKeyFile) {
            problems.append(ConfigError(file: config.file, key: "[[platforms]] \(problem.platform)", problem: problem.problem))
        }
        if !problems.isEmpty { throw ConfigErrors(problems) }
        return UplinkDaemon(config: config)
    }

    /// Waits for sawahd to have made the journal, then delivers until SIGTERM or SIGINT.
    public func run(logger: Logger) async throws {
        let signals = ShutdownSignals()
        while !FileManager.default.fileExists(atPath: config.journalPath) {
            if signals.requested { return }
            logger.notice("waiting for sawahd to create the journal", metadata: ["path": "\(config.journalPath)"])
            try await Task.sleep(for: .seconds(2))
        }
        let journal = try Journal(path: config.journalPath, durability: config.durability)
        let readiness = Readiness()
        readiness.markReady()
        let uplink = UplinkService(journal: journal, platforms: config.platforms,
                                   identityKeyFile: config.traceability?.identityKeyFile, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: uplink),
                       // Last, so first to hear of a shutdown: STOPPING=1 goes out at once. No
                       // heartbeat: a loop that cannot deliver throws and ends the process,
                       // and each request has its own timeouts.
                       .init(service: WatchdogService(notifier: SystemdNotifier(), heartbeat: nil, readiness: readiness,
                                                              status: "delivering", logger: logger))],
            logger: logger))
        signals.attach(group)
        logger.info("sawah-uplink started", metadata: ["gateway": "\(config.gatewayID)", "platforms": "\(config.platforms.map(\.id).joined(separator: ","))"])
        try await group.run()
        logger.info("sawah-uplink stopped")
    }
}
