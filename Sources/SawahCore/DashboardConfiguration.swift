/// The MQTT feed for dashboards: status with last will, latest values, health, and Home
/// Assistant discovery. On by default, to the same broker as ingest.
public struct DashboardConfiguration: Sendable {
    public var enabled = true
    /// Another broker for dashboards; nil uses `[mqtt]`'s host, port, credentials and TLS.
    public var host: String?
    public var port: Int?
    /// Topics start `<topic_root>/<gateway id>/`.
    public var topicRoot = "sawah"
    public var healthIntervalSeconds = 30
    public var discovery = true
    public var discoveryPrefix = "homeassistant"

    public init() {}
}

extension DashboardConfiguration {
    /// Keys of `[dashboard]`: `enabled` (true), `host`, `port` (default: `[mqtt]`'s),
    /// `topic_root` ("sawah"), `health_interval_seconds` (30), `discovery` (true),
    /// `discovery_prefix` ("homeassistant").
    static func read(_ section: TOMLSection) -> DashboardConfiguration {
        var result = DashboardConfiguration()
        if let value = section.bool("enabled") { result.enabled = value }
        result.host = section.string("host")
        result.port = section.int("port", range: 1...65535)
        if let value = section.string("topic_root") {
            if value.isEmpty || value.contains("+") || value.contains("#") {
                section.fail("topic_root", "expected a topic prefix without wildcards, found \"\(value)\"")
            } else {
                result.topicRoot = value
            }
        }
        if let value = section.int("health_interval_seconds", range: 1...86_400) { result.healthIntervalSeconds = value }
        if let value = section.bool("discovery") { result.discovery = value }
        if let value = section.string("discovery_prefix") { result.discoveryPrefix = value }
        section.rejectUnknownKeys()
        return result
    }
}
