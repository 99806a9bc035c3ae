import SawahCore

/// The gateway broker's files, derived from the gateway config: `mosquitto.conf` (listeners,
/// persistence, queue limits set on purpose, no anonymous clients) and the ACL that lets each
/// field node write only its own topics and the gateway read them all.
public enum BrokerRenderer {
    /// The largest MQTT packet the rendered broker accepts: sawahd's payload cap plus room for
    /// the topic and headers.
    public static let maxPacketSize = PayloadNormaliser.maxPayloadBytes + 4 * 1024

    /// How often mosquitto snapshots its state (sessions, queued messages) to disk: every 60 s,
    /// by the clock, not after N changes. mosquitto 2.0 keeps messages in memory between
    /// snapshots, so a broker crash or power cut loses what it held since the last one. While
    /// sawahd is connected a message stays in the broker for milliseconds, and no snapshot
    /// interval helps (BrokerCrashTests measures that loss); while sawahd is away, each
    /// snapshot rewrites the whole queue, so a shorter interval multiplies SD-card writes
    /// (a day's queue of 3 MB saved every 10 s is 26 GB a day). Change-counted saves would
    /// wait 50 minutes for 1,000 changes at a farm's 20 readings a minute.
    public static let persistenceSettings = ["autosave_interval 60", "autosave_on_changes false"]

    public static func mosquittoConf(_ config: GatewayConfiguration) -> String {
        let broker = config.broker
        var lines = [
            "# Written by `sawah broker render` from \(config.file); change that file and render again.",
            "per_listener_settings false",
            "# Every client logs in: field nodes with `sawah node add` credentials, sawahd with [mqtt] username.",
            "allow_anonymous false",
            "password_file \(broker.passwordFile)",
            "acl_file \(broker.aclFile)",
            "",
            "listener \(broker.port) \(broker.listenAddress)"
        ]
        if let tlsPort = broker.tlsPort, let cert = broker.tlsCertFile, let key = broker.tlsKeyFile {
            lines += ["listener \(tlsPort) \(broker.listenAddress)", "certfile \(cert)", "keyfile \(key)"]
        }
        lines += [
            "",
            "# Keep the gateway's queued readings across broker restarts.",
            "persistence true",
            "persistence_location \(broker.persistenceLocation)"
        ]
        lines += persistenceSettings
        lines += [
            "# mosquitto's default (1000 messages) silently drops readings queued while sawahd is away;",
            "# these allow a long outage and cap the memory instead.",
            "max_queued_messages \(broker.maxQueuedMessages)",
            "max_queued_bytes \(broker.maxQueuedBytes)",
            "# Lets sawahd take many messages per group commit.",
            "max_inflight_messages \(broker.maxInflightMessages)",
            "# A node that sends a larger packet is disconnected: no field node can make the broker (or",
            "# sawahd) hold a 256 MB message. sawahd's own payload cap is \(PayloadNormaliser.maxPayloadBytes) bytes; the rest is",
            "# room for the topic and headers.",
            "max_packet_size \(maxPacketSize)",
            ""
        ]
        return lines.joined(separator: "\n")
    }

    /// The ACL: the gateway's user reads everything and writes its dashboard topics; each node
    /// writes its own topics (and reads nothing).
    public static func acl(_ config: GatewayConfiguration, nodes: [String]) -> String {
        var lines = ["# Written by `sawah broker render` / `sawah node add` from \(config.file).", ""]
        if let gateway = config.mqtt.username {
            lines += [
                "user \(gateway)", "topic read #",
                "topic readwrite \(config.dashboard.topicRoot)/#",
                "topic readwrite \(config.dashboard.discoveryPrefix)/#", ""
            ]
        }
        for node in nodes.sorted() {
            lines.append("user \(node)")
            lines += topics(for: node, in: config).map { "topic write \($0)" }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// What a node may publish: its sensors' topics, and its firmware's whole namespace where
    /// the firmware has one (ESPHome `<node>/#` for state and availability, Tasmota
    /// `tele/<node>/#` and `stat/<node>/#`).
    public static func topics(for node: String, in config: GatewayConfiguration) -> [String] {
        var topics: [String] = []
        for sensor in config.sensors where sensor.node == node {
            let segments = sensor.topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            switch sensor.format {
            case .esphome:
                topics.append((segments.first ?? sensor.topic) + "/#")
            case .tasmota where segments.count >= 2:
                topics += ["tele/\(segments[1])/#", "stat/\(segments[1])/#"]
            default:
                topics.append(sensor.topic)
            }
        }
        var seen: Set<String> = []
        return topics.filter { seen.insert($0).inserted }
    }

    /// Nodes named by the config's sensors.
    public static func configuredNodes(_ config: GatewayConfiguration) -> [String] {
        Array(Set(config.sensors.compactMap(\.node))).sorted()
    }
}
