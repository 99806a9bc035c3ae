/// Finds the sensor whose topic filter matches an incoming topic, with its ready normaliser.
/// Exact topics are looked up in a dictionary; wildcard filters are tried in config order.
/// Topics are keyed by their UTF-8 bytes, as the broker compares them: a `String` key would let
/// a canonically equivalent spelling (NFC "é" against NFD "e\u{301}"), a different topic to
/// the broker and its ACL, reach another topic's sensor.
public struct SensorRouter: Sendable {
    private let exact: [[UInt8]: PayloadNormaliser]
    private let wildcards: [(filter: String, normaliser: PayloadNormaliser)]

    /// Every topic filter to subscribe to, once each.
    public let subscriptions: [String]

    public init(config: GatewayConfiguration, library: DeviceLibrary) {
        var exact: [[UInt8]: PayloadNormaliser] = [:]
        var wildcards: [(String, PayloadNormaliser)] = []
        var subscriptions: [String] = []
        for sensor in config.sensors where sensor.gpio == nil && sensor.sysfs == nil {
            guard let profile = library.profiles[sensor.profile] else { continue }
            let normaliser = PayloadNormaliser(sensor: sensor, profile: profile)
            let bytes = Array(sensor.topic.utf8)
            if bytes.contains(UInt8(ascii: "+")) || bytes.contains(UInt8(ascii: "#")) {
                wildcards.append((sensor.topic, normaliser))
            } else if exact[bytes] == nil {
                exact[bytes] = normaliser
            }
            if !subscriptions.contains(where: { $0.utf8.elementsEqual(bytes) }) { subscriptions.append(sensor.topic) }
        }
        for filter in config.mqtt.extraSubscriptions where !subscriptions.contains(where: { $0.utf8.elementsEqual(filter.utf8) }) {
            subscriptions.append(filter)
        }
        self.exact = exact
        self.wildcards = wildcards
        self.subscriptions = subscriptions
    }

    /// The normaliser for `topic`, or nil when no sensor is configured for it.
    public func normaliser(for topic: String) -> PayloadNormaliser? {
        if let match = exact[Array(topic.utf8)] { return match }
        return wildcards.first { TopicFilter.matches($0.filter, topic: topic) }?.normaliser
    }
}
