extension PlatformConfiguration {
    /// Keys of `[[platforms]]`: `id`, `kind` ("epcis" | "credentials" | "claims") and `url` (required);
    /// `ca_file`, `client_certificate` (false), `token_file` or `api_key_file` with
    /// `api_key_header` ("X-API-Key"), `gzip` (false), `connect_timeout_seconds` (10),
    /// `request_timeout_seconds` (60), `concurrency` (2), `max_bytes_per_second`,
    /// `retry_initial_seconds` (2), `retry_max_seconds` (600), `[platforms.disclosure]` (see
    /// DisclosureProfile+TOML.swift). Relative paths are taken from the config file's folder.
    static func read(_ section: TOMLSection, config: GatewayConfiguration) -> PlatformConfiguration? {
        let id = section.requiredString("id")
        let kind = section.choice("kind", Kind.allCases.map(\.rawValue)).flatMap(Kind.init(rawValue:))
        if !section.has("kind") { section.fail("kind", "missing: \"epcis\", \"credentials\" or \"claims\"") }
        let url = section.requiredString("url")
        if let id, !Identifier.isValid(id) {
            section.fail("id", "expected letters, digits, '-' or '_' (it names the platform's delivery state), found \"\(id)\"")
        }
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.dropFirst(8).isEmpty {
            section.fail("url", "expected an http:// or https:// URL, found \"\(url)\"")
        }
        var result = PlatformConfiguration(id: id ?? "", kind: kind ?? .epcis, url: url ?? "")
        while result.url.hasSuffix("/") && result.kind == .epcis { result.url.removeLast() }
        if let file = section.string("ca_file") { result.caFile = config.resolve(file) }
        if let value = section.bool("client_certificate") { result.clientCertificate = value }
        let token = section.string("token_file")
        let apiKey = section.string("api_key_file")
        if token != nil && apiKey != nil { section.fail("api_key_file", "give token_file or api_key_file, not both") }
        if let token { result.authentication = .bearer(tokenFile: config.resolve(token)) }
        if let apiKey {
            result.authentication = .apiKey(header: section.string("api_key_header") ?? "X-API-Key", keyFile: config.resolve(apiKey))
        } else if section.has("api_key_header") {
            section.fail("api_key_header", "set only together with api_key_file")
        }
        if let value = section.bool("gzip") { result.gzip = value }
        if let value = section.int("connect_timeout_seconds", range: 1...600) { result.connectTimeoutSeconds = value }
        if let value = section.int("request_timeout_seconds", range: 1...3600) { result.requestTimeoutSeconds = value }
        if let value = section.int("concurrency", range: 1...16) { result.concurrency = value }
        if let value = section.int("max_bytes_per_second", range: 1_000...1_000_000_000) { result.maxBytesPerSecond = value }
        if let value = section.double("retry_initial_seconds", range: 0.01...3600) { result.retryInitialSeconds = value }
        if let value = section.double("retry_max_seconds", range: 0.01...86_400) { result.retryMaxSeconds = value }
        if result.retryMaxSeconds < result.retryInitialSeconds {
            section.fail("retry_max_seconds", "must be at least retry_initial_seconds (\(result.retryInitialSeconds))")
        }
        if let disclosure = section.section("disclosure") {
            result.disclosure = DisclosureProfile.read(disclosure, platformURL: result.url, lots: config.traceability?.lots.map(\.id) ?? [])
        }
        section.rejectUnknownKeys()
        return id == nil || url == nil || kind == nil ? nil : result
    }
}
