import Crypto
import FoundationEssentials
import HTTPTypes
import Hummingbird
import SawahCore

/// The status page's token: read once from `[web] token_file` (refused when other users may
/// read it), compared in constant time against `Authorization: Bearer …`.
public struct WebToken: Sendable {
    let digest: [UInt8]

    /// The token in `path`; throws, naming the file and the fix, for a file other users may
    /// read, one that cannot be read, or a token shorter than 16 characters.
    public static func load(path: String) throws(WebTokenError) -> WebToken {
        if let exposure = SecretFile.exposure(path) { throw WebTokenError(description: exposure) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WebTokenError(description: "\(path): cannot read the token file")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.utf8.count >= 16 else {
            throw WebTokenError(description: "\(path): the token has \(token.utf8.count) characters; use at least 16 (openssl rand -hex 24)")
        }
        return WebToken(token: token)
    }

    init(token: String) {
        digest = Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Whether `authorization` is `Bearer <the token>`. Digests are compared, so the time
    /// taken says nothing about how much of a guess was right.
    func admits(_ authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let offered = Array(SHA256.hash(data: Array(authorization.dropFirst("Bearer ".count).utf8)))
        return zip(offered, digest).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

public struct WebTokenError: Error, CustomStringConvertible {
    public var description: String
}

/// Refuses every request but the page itself without the token, when one is configured. The
/// page (`GET /`) holds no data and is served to anyone who can connect, so a browser can load
/// it and then ask for the token; everything else (the API, and any path a router might read
/// as the API: `//api/status`, a percent-encoded one) needs the token.
struct WebTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: WebToken?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isPage = request.method == .get && request.uri.path == "/"
        guard let token, !isPage, !token.admits(request.headers[.authorization]) else {
            return try await next(request, context)
        }
        return WebResponses.json(.unauthorized, .object(["error": .string("a valid bearer token is required (the page asks for it)")]))
    }
}
