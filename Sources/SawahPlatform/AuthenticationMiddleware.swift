import HTTPTypes
import Hummingbird

/// Refuses every request — GETs and OPTIONS included — that does not carry a bearer token from
/// the platform's token file: job status, stored events and statistics are the farms' data too.
/// The one exception is `GET /verify`, the buyers' verifier page, which holds no data.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let clients: PlatformClients
    let store: PlatformStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard clients.client(authorization: request.headers[.authorization]) == nil else { return try await next(request, context) }
        // The verifier page alone is public: it carries no data (see PlatformRoutes).
        if request.method == .get && request.uri.path == "/verify" { return try await next(request, context) }
        store.bump("unauthorised")
        return Problem.response(
            .unauthorized, type: "epcisException:SecurityException", title: "Unauthorised",
            detail: "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer"])
    }
}
