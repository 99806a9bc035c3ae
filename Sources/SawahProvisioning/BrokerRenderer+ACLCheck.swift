import SawahCore

extension BrokerRenderer {
    /// Why the ACL cannot keep each node to its own topics, one line per problem naming the
    /// sensors; empty when it can. A node's write grant must not reach another node's topics:
    /// a wildcard in a sensor topic, or two nodes sharing a topic or a firmware namespace,
    /// would let one node publish readings in another's name.
    public static func aclProblems(_ config: GatewayConfiguration) -> [String] {
        var problems: [String] = []
        for sensor in config.sensors where sensor.node != nil && (sensor.topic.contains("+") || sensor.topic.contains("#")) {
            problems.append(
                "sensor \(sensor.id): topic \"\(sensor.topic)\" has a wildcard, so node \(sensor.node!)'s write grant would cover topics that are not its own; give the sensor its exact topic"
            )
        }
        let nodes = configuredNodes(config)
        let grants = Dictionary(uniqueKeysWithValues: nodes.map { ($0, topics(for: $0, in: config)) })
        for sensor in config.sensors {
            guard let owner = sensor.node else { continue }
            for other in nodes where other != owner {
                if let filter = grants[other]?.first(where: { TopicFilter.matches($0, topic: sensor.topic) }) {
                    problems.append(
                        "sensor \(sensor.id) of node \(owner) publishes to \"\(sensor.topic)\", which node \(other) may also write (\"\(filter)\"); give each node a topic prefix of its own"
                    )
                }
            }
        }
        return problems
    }
}
