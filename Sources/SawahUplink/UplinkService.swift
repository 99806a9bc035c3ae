import Logging
import NIOCore
import NIOPosix
import SawahCore
import SawahJournal
import ServiceLifecycle

/// Delivers certified batches to every configured platform, each in its own loop with its own
/// HTTP client. Ingest and sealing never wait for it: it only reads batches and writes the
/// deliveries table.
public struct UplinkService: Service {
    let ledger: DeliveryLedger
    let platforms: [PlatformConfiguration]
    let identityKeyFile: String?
    let logger: Logger

    /// Checks every platform's files (CA, key and chain, credential) up front, so a broken
    /// setting stops `sawah-uplink --check-config` rather than every upload.
    public static func check(_ platforms: [PlatformConfiguration], identityKeyFile: String?) -> [UplinkSetupError] {
        var problems: [UplinkSetupError] = []
        for platform in platforms {
            do { _ = try PlatformTransport.Settings(platform, identityKeyFile: identityKeyFile) } catch { problems.append(error) }
        }
        return problems
    }

    public init(ledger: DeliveryLedger, platforms: [PlatformConfiguration], identityKeyFile: String?, logger: Logger) {
        self.ledger = ledger
        self.platforms = platforms
        self.identityKeyFile = identityKeyFile
        self.logger = logger
    }

    public func run() async throws {
        // One event-loop thread serves every platform: uploads are I/O-bound and a small
        // board's memory is better kept for the journal.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var transports: [PlatformTransport] = []
        do {
            for platform in platforms {
                transports.append(try PlatformTransport(platform: platform, identityKeyFile: identityKeyFile, eventLoopGroup: group))
            }
        } catch {
            for transport in transports { await transport.shutdown() }
            try? await group.shutdownGracefully()
            throw error
        }
        // The first loop that fails ends the others and the service: the process exits with
        // the error and systemd restarts it.
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for transport in transports {
                    let uploader = PlatformUploader(
                        platform: transport.platform, ledger: ledger, client: HTTPPlatformClient(transport: transport), logger: logger)
                    tasks.addTask { try await uploader.run() }
                }
                try await tasks.waitForAll()
            }
        } catch {
            failure = error
        }
        for transport in transports { await transport.shutdown() }
        try? await group.shutdownGracefully()
        if let failure { throw failure }
    }
}
