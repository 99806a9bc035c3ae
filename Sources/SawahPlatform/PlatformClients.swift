/// Who may talk to the platform, from its token file. Each line is a bearer token, alone (a
/// client that may deliver any gateway's certificates: an integration or an operator) or after
/// a gateway id (`gw-farm1 TOKEN`: a client that may deliver that gateway's chain and no
/// other). Blank lines and `#` comments are skipped. With no token file, anyone may.
struct PlatformClients: Sendable {
    /// What an authenticated client may do.
    enum Client: Sendable, Equatable {
        case anyGateway
        case gateway(String)
    }

    private let clients: [String: Client]
    let required: Bool

    /// Anyone, unauthenticated: the platform without a token file.
    static let open = PlatformClients(clients: [:], required: false)

    private init(clients: [String: Client], required: Bool) {
        self.clients = clients
        self.required = required
    }

    /// Parses the token file's text; an error names the line.
    init(fileText: String, path: String) throws(PlatformClientsError) {
        var clients: [String: Client] = [:]
        for (index, line) in fileText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            let (token, client): (Substring, Client) =
                switch words.count {
                case 1: (first, .anyGateway)
                case 2: (words[1], .gateway(String(first)))
                default: throw PlatformClientsError("\(path):\(index + 1): expected 'TOKEN' or 'GATEWAY TOKEN', found \(words.count) words")
                }
            guard token.count >= 16 else { throw PlatformClientsError("\(path):\(index + 1): a token must be at least 16 characters") }
            guard clients[String(token)] == nil else { throw PlatformClientsError("\(path):\(index + 1): this token is given twice") }
            clients[String(token)] = client
        }
        guard !clients.isEmpty else { throw PlatformClientsError("\(path): no token in the file") }
        self.init(clients: clients, required: true)
    }

    /// The client an `Authorization` header authenticates, `.anyGateway` when none is
    /// required, nil when it authenticates nobody.
    func client(authorization: String?) -> Client? {
        guard required else { return .anyGateway }
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        return clients[String(authorization.dropFirst("Bearer ".count))]
    }
}

/// The token file cannot be used.
struct PlatformClientsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
