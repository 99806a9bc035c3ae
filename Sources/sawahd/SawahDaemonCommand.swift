import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import SawahCore
import SawahGateway

/// `sawahd`: the gateway daemon. Everything it does lives in SawahGateway; this file only reads
/// the command line, sets up logging and maps failures to exit codes.
@main
struct SawahDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sawahd",
        abstract: "Sawah farm sensor gateway: ingest field readings into a durable journal.")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/sawah/sawah.toml"

    @Option(name: .customLong("check-config"), help: "Check this configuration file and its device profiles, then exit (0 valid, 78 invalid).")
    var checkConfig: String?

    /// EX_CONFIG from sysexits.h: systemd and operators read it as "fix the config".
    static let exitConfigError: Int32 = 78

    func run() async throws {
        // glibc raises its mmap threshold after the first large buffer is freed, after which
        // every upload's ~1 MB of transient buffers comes from the heap and stays resident.
        // Pinning it keeps such buffers mmapped and returned at once (~5 MB less peak RSS in
        // `scripts/bench uplink`), which matters on a 512 MB board.
        Self.pinMallocMmapThreshold(bytes: 128 * 1024)
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

    /// `mallopt(M_MMAP_THRESHOLD, bytes)`, looked up at run time because `<malloc.h>` is not
    /// part of Swift's Glibc module; `M_MMAP_THRESHOLD` is -3 in glibc. Elsewhere a no-op.
    static func pinMallocMmapThreshold(bytes: Int32) {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, bytes)
        #endif
    }
}
