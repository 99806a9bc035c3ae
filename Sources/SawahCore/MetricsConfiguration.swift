/// The optional Prometheus endpoint: off unless asked for, and on loopback by default.
public struct MetricsConfiguration: Sendable {
    public var enabled = false
    public var address = "127.0.0.1"
    public var port = 9464

    public init() {}
}

extension MetricsConfiguration {
    /// Keys of `[metrics]`: `enabled` (false), `address` ("127.0.0.1"), `port` (9464).
    static func read(_ section: TOMLSection) -> MetricsConfiguration {
        var result = MetricsConfiguration()
        if let value = section.bool("enabled") { result.enabled = value }
        if let value = section.string("address") { result.address = value }
        if let value = section.int("port", range: 1...65535) { result.port = value }
        section.rejectUnknownKeys()
        return result
    }
}
