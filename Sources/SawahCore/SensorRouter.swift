/// Finds the sensor whose topic filter matches an incoming topic, with its ready normaliser.
/// Exact topics are looked up in a dictionary; wildcard filters are tried in config order.
public struct SensorRouter: Sendable {
    private let exact: [String: PayloadNormaliser]
    private let wildcards: [(filter: String, normaliser: PayloadNormaliser)]

    /// Every topic filter to subscribe to, once each.
    public let subscriptions: [String]

    public init(config: GatewayConfiguration, library: DeviceLibrary) {
        var exact: [String: PayloadNormaliser] = [:]
        var wildcards: [(String, PayloadNormaliser)] = []
        var subscriptions: [String] = []
        for sensor in config.sensors where sensor.gpio == nil && sensor.sysfs == nil {
            guard let profile = library.profiles[sensor.profile] else { continue }
            let normaliser = PayloadNormaliser(sensor: sensor, profile: profile)
            if sensor.topic.contains("+") || sensor.topic.contains("#") {
                wildcards.append((sensor.topic, normaliser))
            } else if exact[sensor.topic] == nil {
                exact[sensor.topic] = normaliser
            }
            if !subscriptions.contains(sensor.topic) { subscriptions.append(sensor.topic) }
        }
        for filter in config.mqtt.extraSubscriptions where !subscriptions.contains(filter) {
            subscriptions.append(filter)
        }
        self.exact = exact
        self.wildcards = wildcards
        self.subscriptions = subscriptions
    }

    /// The normaliser for `topic`, or nil when no sensor is configured for it.
    public func normaliser(for topic: String) -> PayloadNormaliser? {
        if let match = exact[topic] { return match }
        return wildcards.first { TopicFilter.matches($0.filter, topic: topic) }?.normaliser
    }
}
