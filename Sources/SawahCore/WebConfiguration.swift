/// Where `sawah web` (the status page) listens, and who may read it. Loopback by default; a
/// LAN address needs a token, since the page shows the farm's readings and deliveries.
public struct WebConfiguration: Sendable {
    public var address = "127.0.0.1"
    public var port = 8464
    /// A file holding the token a browser must send; nil: no token (loopback only).
    public var tokenFile: String?
    /// Seconds between the page's refreshes.
    public var refreshSeconds = 5

    public init() {}

    /// Whether `address` only accepts connections from this machine.
    public var isLoopback: Bool {
        address == "localhost" || address == "::1" || address.hasPrefix("127.")
    }
}

extension WebConfiguration {
    /// Keys of `[web]`: `address` ("127.0.0.1"), `port` (8464), `token_file`,
    /// `refresh_seconds` (5). Any other address than loopback requires `token_file`.
    static func read(_ section: TOMLSection, config: GatewayConfiguration) -> WebConfiguration {
        var result = WebConfiguration()
        if let value = section.string("address") { result.address = value }
        if let value = section.int("port", range: 1...65535) { result.port = value }
        if let value = section.int("refresh_seconds", range: 1...3600) { result.refreshSeconds = value }
        if let value = section.string("token_file") { result.tokenFile = config.resolve(value) }
        if !result.isLoopback && result.tokenFile == nil {
            section.fail(
                "address",
                "\(result.address) lets other machines read the status page: set token_file too (a file holding a long random token)")
        }
        section.rejectUnknownKeys()
        return result
    }
}
