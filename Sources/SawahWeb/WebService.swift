import Hummingbird
import Logging
import SawahCore
import SawahJournal
import SawahPages
import SawahSystem
import ServiceLifecycle

/// `sawah web`: the gateway's status page for a person with a phone at the field's edge. It
/// reads the journal at each request (as `sawah status` does) and changes nothing: every
/// route is a GET; there is no action to take, so there is nothing a stolen token can do
/// but read.
public struct WebService: Service {
    let application: Application<RouterResponder<BasicRequestContext>>

    /// `onListening` gets the bound port (useful with port 0 in tests).
    public init(config: GatewayConfiguration, logger: Logger, onListening: @escaping @Sendable (Int) -> Void = { _ in }) throws(WebTokenError) {
        let token = try config.web.tokenFile.map { path throws(WebTokenError) in try WebToken.load(path: path) }
        let router = Router()
        let cache = SeriesCache()
        router.add(middleware: WebTokenMiddleware(token: token))
        router.get("/") { _, _ in WebResponses.page(Pages.status) }
        router.get("/api/status") { _, _ -> Response in
            do {
                return WebResponses.json(.ok, try StatusDocument.status(config: config))
            } catch {
                return WebResponses.unreadableJournal(error, config: config, logger: logger)
            }
        }
        router.get("/api/series") { request, _ -> Response in
            let asked = request.uri.queryParameters["range"].map(String.init) ?? SeriesRange.day.rawValue
            guard let range = SeriesRange(rawValue: asked) else {
                let known = SeriesRange.allCases.map(\.rawValue).joined(separator: ", ")
                return WebResponses.json(.badRequest, .object(["error": .string("range \(asked) is not one of \(known)")]))
            }
            do {
                let now = SawahJournal.Clock.nowMilliseconds()
                return WebResponses.json(.ok, try cache.value(range, now: now) { try StatusDocument.series(config: config, range: range, now: now) })
            } catch {
                return WebResponses.unreadableJournal(error, config: config, logger: logger)
            }
        }
        application = Application(
            router: router,
            configuration: .init(address: .hostname(config.web.address, port: config.web.port), serverName: "sawah-web"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    public func run() async throws {
        try await application.run()
    }
}
