import ArgumentParser
import Foundation
import Logging
// Imported though nothing names its types: the command reads GatewayConfiguration's fields,
// and without the import the build does not recompile this file when that layout changes.
import SawahCore
import SawahSystem
import SawahUplink

/// `sawah-uplink`: delivers certified batches to the configured trade platforms. Everything it
/// does lives in SawahUplink; this file reads the command line, sets up logging and maps
/// failures to exit codes, as `sawahd` does.
public struct SawahUplinkCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sawah-uplink",
        abstract: "Deliver the gateway's certified batches to its trade platforms ([[platforms]] in sawah.toml).")

    public init() {}

    @Option(name: .long, help: "Configuration file (the one sawahd uses).")
    var config: String = "/etc/sawah/sawah.toml"

    @Option(name: .customLong("check-config"), help: "Check this file's platforms (CA, key and chain, credential files), then exit (0 valid, 78 invalid).")
    var checkConfig: String?

    public func run() async throws {
        ProcessTuning.pinMallocMmapThreshold()
        let path = checkConfig ?? config
        let daemon: UplinkDaemon
        do {
            daemon = try UplinkDaemon.check(configPath: path)
        } catch {
            FileHandle.standardError.write(Data("sawah-uplink: configuration is invalid:\n\(error.description)\n".utf8))
            throw ExitCode(78)
        }
        if checkConfig != nil {
            print("\(path): OK (\(daemon.config.platforms.count) platforms: \(daemon.config.platforms.map(\.id).joined(separator: ", ")))")
            return
        }
        let level = Logger.Level(rawValue: daemon.config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in JournaldLogHandler(label: label, level: level) }
        let logger = Logger(label: "sawah-uplink")
        do {
            try await daemon.run(logger: logger)
        } catch {
            logger.critical("sawah-uplink failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}
