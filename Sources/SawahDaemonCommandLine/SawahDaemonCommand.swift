import ArgumentParser
import Foundation
import Logging
import SawahCore
import SawahGateway
import SawahStatus
import SawahSystem

/// `sawahd`: the gateway daemon. Everything it does lives in SawahGateway; this file only reads
/// the command line, sets up logging and maps failures to exit codes.
public struct SawahDaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sawahd",
        abstract: "Sawah farm sensor gateway: ingest field readings into a durable journal.")

    public init() {}

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/sawah/sawah.toml"

    @Option(name: .customLong("check-config"), help: "Check this configuration file and its device profiles, then exit (0 valid, 78 invalid).")
    var checkConfig: String?

    /// EX_CONFIG from sysexits.h: systemd and operators read it as "fix the config".
    static let exitConfigError: Int32 = 78

    public func run() async throws {
        let path = checkConfig ?? config
        let daemon: GatewayDaemon
        do {
            daemon = try GatewayDaemon.check(configPath: path)
        } catch {
            FileHandle.standardError.write(Data("sawahd: configuration is invalid:\n\(error.description)\n".utf8))
            throw ExitCode(Self.exitConfigError)
        }
        if checkConfig != nil {
            print("\(path): OK (gateway \(daemon.config.gatewayID), \(daemon.config.sensors.count) sensors, \(daemon.library.profiles.count) device profiles)")
            return
        }
        let level = Logger.Level(rawValue: daemon.config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in JournaldLogHandler(label: label, level: level) }
        let logger = Logger(label: "sawahd")
        do {
            try await daemon.run(logger: logger)
        } catch {
            logger.critical("sawahd failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}
