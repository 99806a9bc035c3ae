import Foundation
import Logging
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// Everything `sawah-uplink` runs: the uplink service over the gateway's journal, with
/// systemd's READY=1 and STOPPING=1. It shares `sawah.toml` and the journal with `sawahd`,
/// and opens only its delivery ledger (never the ingest writer, never a migration).
public struct UplinkDaemon: Sendable {
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

    /// Waits for sawahd to have made the journal (and brought its schema up to date), then
    /// delivers until SIGTERM or SIGINT.
    public func run(logger: Logger) async throws {
        let signals = ShutdownSignals()
        guard let ledger = try await openLedger(signals: signals, logger: logger) else { return }
        let readiness = Readiness()
        readiness.markReady()
        let uplink = UplinkService(
            ledger: ledger, platforms: config.platforms, identityKeyFile: config.traceability?.identityKeyFile,
            didWeb: config.traceability?.didWeb, dataDirectory: config.dataDirectory, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: uplink),
                    // Last, so first to hear of a shutdown: STOPPING=1 goes out at once. No
                    // heartbeat: a loop that cannot deliver throws and ends the process,
                    // and each request has its own timeouts.
                    .init(
                        service: WatchdogService(
                            notifier: SystemdNotifier(), heartbeat: nil, readiness: readiness,
                            status: "delivering", logger: logger))
                ],
                logger: logger))
        signals.attach(group)
        logger.info("sawah-uplink started", metadata: ["gateway": "\(config.gatewayID)", "platforms": "\(config.platforms.map(\.id).joined(separator: ","))"])
        try await group.run()
        logger.info("sawah-uplink stopped")
    }

    /// The delivery ledger, once sawahd has made the journal and migrated it: both happen when
    /// sawahd starts, and the two units may start in either order. nil if a stop came first.
    /// Any other failure (a journal from a newer Sawah, an unreadable file) is thrown.
    func openLedger(signals: ShutdownSignals, logger: Logger) async throws -> DeliveryLedger? {
        while !signals.requested {
            if FileManager.default.fileExists(atPath: config.journalPath) {
                // A Result rather than a typed `catch` pattern: Swift 6.2.3 (the arm64 cross
                // compiler) crashes in SILGen on the latter in this async function.
                switch Result(catching: { () throws(JournalError) in try DeliveryLedger(path: config.journalPath, durability: config.durability) }) {
                case .success(let ledger):
                    return ledger
                case .failure(.olderSchema(let file, let missing)):
                    logger.notice(
                        "waiting for sawahd to bring the journal up to date",
                        metadata: ["path": "\(file)", "missing": "\(missing.joined(separator: ","))"])
                case .failure(let error):
                    throw error
                }
            } else {
                logger.notice("waiting for sawahd to create the journal", metadata: ["path": "\(config.journalPath)"])
            }
            try await Task.sleep(for: .seconds(2))
        }
        return nil
    }
}
