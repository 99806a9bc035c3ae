/// The gateway's own mosquitto broker, as `sawah broker render` writes its configuration
/// (`[broker]` in the config). Nodes get credentials and ACLs from `sawah node add`.
public struct BrokerConfiguration: Sendable, Equatable {
    /// Where the field nodes reach the broker.
    public var listenAddress = "0.0.0.0"
    public var port = 1883
    /// Optional TLS listener for nodes that can do TLS (ESP32 can; ESP8266 barely).
    public var tlsPort: Int?
    public var tlsCertFile: String?
    public var tlsKeyFile: String?
    /// The folder `sawah broker render` writes `mosquitto.conf`, `passwords` and `acl` into.
    public var directory = "/etc/sawah/broker"
    public var persistenceLocation = "/var/lib/mosquitto/"
    /// Messages and bytes queued per client while it is away: the gateway's session must hold
    /// a long outage of sawahd (a week at 100 messages a minute is ~1M), but not fill the RAM.
    public var maxQueuedMessages = 1_000_000
    public var maxQueuedBytes = 256 * 1024 * 1024
    /// Lets sawahd take many messages per group commit (mosquitto's default is 20).
    public var maxInflightMessages = 1_000

    public init() {}

    public var passwordFile: String { directory + "/passwords" }
    public var aclFile: String { directory + "/acl" }
    public var configFile: String { directory + "/mosquitto.conf" }
}

extension BrokerConfiguration {
    /// Keys of `[broker]`: `listen_address` ("0.0.0.0"), `port` (1883), `tls_port`,
    /// `tls_cert_file`, `tls_key_file`, `directory` ("/etc/sawah/broker"),
    /// `persistence_location` ("/var/lib/mosquitto/"), `max_queued_messages` (1000000),
    /// `max_queued_mb` (256), `max_inflight_messages` (1000).
    static func read(_ section: TOMLSection, config: GatewayConfiguration) -> BrokerConfiguration {
        var result = BrokerConfiguration()
        if let value = section.string("listen_address") { result.listenAddress = value }
        if let value = section.int("port", range: 1...65535) { result.port = value }
        result.tlsPort = section.int("tls_port", range: 1...65535)
        result.tlsCertFile = section.string("tls_cert_file").map(config.resolve)
        result.tlsKeyFile = section.string("tls_key_file").map(config.resolve)
        if (result.tlsPort != nil) != (result.tlsCertFile != nil && result.tlsKeyFile != nil) {
            section.fail("tls_port", "a TLS listener needs tls_port, tls_cert_file and tls_key_file together")
        }
        if let value = section.string("directory") { result.directory = config.resolve(value) }
        if let value = section.string("persistence_location") {
            result.persistenceLocation = config.resolve(value) + (value.hasSuffix("/") ? "" : "/")
        }
        if let value = section.int("max_queued_messages", range: 100...100_000_000) { result.maxQueuedMessages = value }
        if let value = section.int("max_queued_mb", range: 1...65_536) { result.maxQueuedBytes = value * 1024 * 1024 }
        if let value = section.int("max_inflight_messages", range: 1...65_535) { result.maxInflightMessages = value }
        section.rejectUnknownKeys()
        return result
    }
}
