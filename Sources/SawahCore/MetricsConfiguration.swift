/// Where `sawah metrics serve` listens: loopback by default.
public struct MetricsConfiguration: Sendable {
    public var address = "127.0.0.1"
    public var port = 9464

    public init() {}
}

extension MetricsConfiguration {
    /// Keys of `[metrics]`: `address` ("127.0.0.1"), `port` (9464).
    static func read(_ section: TOMLSection) -> MetricsConfiguration {
        var result = MetricsConfiguration()
        if let value = section.string("address") { result.address = value }
        if let value = section.int("port", range: 1...65535) { result.port = value }
        section.rejectUnknownKeys()
        return result
    }
}
