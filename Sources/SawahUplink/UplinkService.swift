import Logging
import NIOCore
import NIOPosix
import SawahCore
import SawahJournal
import SawahTraceability
import ServiceLifecycle

/// Delivers certified batches to every configured platform, each in its own loop with its own
/// HTTP client. Ingest and sealing never wait for it: it only reads batches and writes the
/// deliveries table.
public struct UplinkService: Service {
    let ledger: DeliveryLedger
    let platforms: [PlatformConfiguration]
    let identityKeyFile: String?
    let didWeb: String?
    /// Where the pseudonym secret lives (`<data_dir>/pseudonym.key`).
    let dataDirectory: String
    let logger: Logger

    /// Checks every platform's files (CA, key and chain, credential) up front, so a broken
    /// setting stops `sawah-uplink --check-config` rather than every upload.
    public static func check(_ platforms: [PlatformConfiguration], identityKeyFile: String?) -> [UplinkSetupError] {
        var problems: [UplinkSetupError] = []
        for platform in platforms {
            do { _ = try PlatformTransport.Settings(platform, identityKeyFile: identityKeyFile) } catch { problems.append(error) }
        }
        // A profile that removes anything needs the gateway's key to sign the copies.
        if let copying = platforms.first(where: { !PlatformDisclosure.removesNothing($0.disclosure) && $0.kind != .claims }) {
            if let identityKeyFile {
                if case .failure(let error) = Result(catching: { try GatewayIdentity.load(from: identityKeyFile) }) {
                    problems.append(
                        UplinkSetupError(
                            platform: copying.id, problem: "its disclosure profile needs derived copies signed with the gateway's key: \(error)"))
                }
            } else {
                problems.append(UplinkSetupError(platform: copying.id, problem: "its disclosure profile needs derived copies: add [traceability]"))
            }
        }
        return problems
    }

    public init(
        ledger: DeliveryLedger, platforms: [PlatformConfiguration], identityKeyFile: String?, didWeb: String? = nil, dataDirectory: String,
        logger: Logger
    ) {
        self.ledger = ledger
        self.platforms = platforms
        self.identityKeyFile = identityKeyFile
        self.didWeb = didWeb
        self.dataDirectory = dataDirectory
        self.logger = logger
    }

    /// Each platform's disclosure: the gateway's key signs derived copies, and the pseudonym
    /// secret is read (or made) only when a profile replaces device ids.
    static func disclosures(
        _ platforms: [PlatformConfiguration], identityKeyFile: String?, didWeb: String?, dataDirectory: String
    ) throws -> [PlatformDisclosure] {
        let copying = platforms.contains { !PlatformDisclosure.removesNothing($0.disclosure) && $0.kind != .claims }
        let identity = try copying ? identityKeyFile.map { try GatewayIdentity.load(from: $0, didWeb: didWeb) } : nil
        let secret = try platforms.contains { $0.disclosure.pseudonymousDevices } ? PlatformDisclosure.gatewaySecret(dataDirectory: dataDirectory) : []
        return try platforms.map { try PlatformDisclosure(platform: $0, identity: identity, gatewaySecret: secret) }
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
        let disclosures: [PlatformDisclosure]
        do {
            disclosures = try Self.disclosures(platforms, identityKeyFile: identityKeyFile, didWeb: didWeb, dataDirectory: dataDirectory)
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
                for (transport, disclosure) in zip(transports, disclosures) {
                    let uploader = PlatformUploader(
                        platform: transport.platform, ledger: ledger, client: HTTPPlatformClient(transport: transport), disclosure: disclosure,
                        logger: logger)
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
