import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SawahCore
import ServiceLifecycle

/// The reference trade platform: Hummingbird serving `PlatformRoutes` over HTTP or HTTPS
/// (optionally requiring a client certificate), with `FaultInjector` in front.
public struct ReferencePlatform: Sendable {
    let settings: PlatformSettings
    let store: PlatformStore
    let logger: Logger

    public init(settings: PlatformSettings, logger: Logger) throws {
        self.settings = settings
        self.store = try PlatformStore(path: settings.databasePath)
        self.logger = logger
    }

    /// Runs until SIGTERM/SIGINT. `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        var clients = PlatformClients.open
        if let file = settings.tokenFile {
            if let exposure = SecretFile.exposure(file) { throw PlatformClientsError(exposure) }
            clients = try PlatformClients(fileText: try String(contentsOfFile: file, encoding: .utf8), path: file)
        }
        // Bounds on what one client can hold: connections, idle time (a header or body that
        // stops arriving included), the time a whole request may take to arrive, header size and
        // count; the body's size is bounded where it is collected (RequestBody), before and
        // after gzip.
        let connections = ConnectionLimiter.Counter(limit: settings.maxConnections)
        let deadlines = RequestDeadline.Counter()
        let requestTimeout = TimeAmount.seconds(Int64(settings.requestTimeoutSeconds))
        let router = Router(context: PlatformRequestContext.self)
        router.add(middleware: AuthenticationMiddleware(clients: clients, store: store))
        router.add(middleware: FaultInjector(settings: settings, store: store))
        PlatformRoutes(settings: settings, store: store, clients: clients, connections: connections, deadlines: deadlines).register(on: router)
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionLimiter(counter: connections), RequestDeadline(timeout: requestTimeout, counter: deadlines)],
            idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100))
        let server: HTTPServerBuilder
        if let certificate = settings.tlsCertificateFile, let key = settings.tlsKeyFile {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            tls.minimumTLSVersion = .tlsv12
            if let clientCA = settings.clientCAFile {
                tls.certificateVerification = .noHostnameVerification
                tls.trustRoots = .file(clientCA)
            }
            server = try .tls(.http1(configuration: http), tlsConfiguration: tls)
        } else {
            server = .http1(configuration: http)
        }
        let application = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "sawah-platform"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
