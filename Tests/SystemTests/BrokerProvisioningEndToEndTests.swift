import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahMQTT
@testable import SawahProvisioning

/// A real mosquitto started with the rendered configuration: each node writes only its own
/// topics, sawahd stores them, a stranger is refused. (The renderer's unit tests:
/// SawahProvisioningTests.)
@Suite(.serialized) struct BrokerProvisioningEndToEndTests {
    /// A client logged in as `user`; collects what it receives on `filter` and how it connected.
    final class Client: @unchecked Sendable {
        // @unchecked Sendable: the fields are LockedValues; the client is used by one test.
        let client: MQTTClient
        let messages = LockedValue<[String]>([])
        let events = LockedValue<[String]>([])

        init(port: Int, user: String, password: String, subscribe filter: String? = nil) throws {
            let messages = messages
            let events = events
            client = try MQTTClient(
                options: MQTTOptions(port: port, clientID: "\(user)-\(UInt16.random(in: 0...9999))", username: user, password: password),
                handlers: MQTTHandlers(
                    onEvent: { event in events.withLock { $0.append("\(event)") } },
                    onMessage: { message in messages.withLock { $0.append(message.topic + " " + String(decoding: message.payload, as: UTF8.self)) } }))
            if let filter { try client.subscribe(filter) }
            try client.startBackgroundLoop()
        }

        func waitConnected(timeout: TimeInterval = 5) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if client.isConnected { return true }
                if events.withLock({ $0.contains { $0.hasPrefix("connectRefused") } }) { return false }
                usleep(20_000)
            }
            return false
        }
    }

    @Test func eachNodeWritesOnlyItsOwnTopicsAndTheGatewayReadsThem() throws {
        let directory = try TemporaryDirectory(prefix: "sawah-broker")
        defer { directory.remove() }
        let port = try freeLoopbackPort()
        let config = try ProvisioningFixture.config(in: directory, port: port)
        let provisioner = NodeProvisioner(config: config)
        #expect(try provisioner.renderBroker() == [directory.file("broker/mosquitto.conf"), directory.file("broker/passwords"), directory.file("broker/acl")])
        let a = try provisioner.add(node: "node-a")
        let b = try provisioner.add(node: "node-b")
        _ = try provisioner.add(node: "node-c")
        #expect(a.topics == ["farm/a/soil"])
        #expect(BrokerRenderer.topics(for: "node-c", in: config) == ["node-c/#"], "an ESPHome node owns its namespace")
        #expect(a.password.count == 24 && a.password != b.password)
        let mode = try FileManager.default.attributesOfItem(atPath: a.secretFile)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the node's secret is readable by its owner only")
        #expect(throws: ProvisioningError.nodeExists("node-a", secretFile: a.secretFile)) { try provisioner.add(node: "node-a") }
        #expect(throws: ProvisioningError.unknownNode("node-z")) { try provisioner.add(node: "node-z") }
        #expect(throws: ProvisioningError.invalidNode("node a")) { try provisioner.add(node: "node a") }
        let passwords = try String(contentsOfFile: directory.file("broker/passwords"), encoding: .utf8)
        #expect(!passwords.contains(a.password) && passwords.contains("node-a:$7$10000$"), "only hashes reach the broker's file")
        let acl = try String(contentsOfFile: directory.file("broker/acl"), encoding: .utf8)
        #expect(acl.contains("user node-a\ntopic write farm/a/soil\n") && acl.contains("user sawah-gw\ntopic read #"))

        // The rendered config, as is (plus `user root`: the tests run as root, and mosquitto
        // would otherwise drop to a user that cannot write the test's folder).
        var conf = try String(contentsOfFile: directory.file("broker/mosquitto.conf"), encoding: .utf8)
        #expect(conf.contains("allow_anonymous false") && conf.contains("persistence true") && conf.contains("max_queued_messages 50000"))
        if getuid() == 0 { conf += "user root\n" }
        try conf.write(toFile: directory.file("broker/mosquitto.conf"), atomically: true, encoding: .utf8)
        let broker = DaemonProcess(
            executable: "/usr/sbin/mosquitto", arguments: ["-c", directory.file("broker/mosquitto.conf")], logPath: directory.file("mosquitto.log"))
        try broker.start()
        defer { _ = broker.stop() }
        let deadline = Date().addingTimeInterval(10)
        while !loopbackPortAccepts(port) && Date() < deadline { usleep(50_000) }

        // sawahd itself, logged in with its [mqtt] username and password_file.
        let sawahd = DaemonProcess(
            executable: try #require(ProjectPaths.executable("sawahd")),
            arguments: ["--config", directory.file("sawah.toml")], logPath: directory.file("sawahd.log"))
        try sawahd.start()
        defer { _ = sawahd.stop() }
        let connectDeadline = Date().addingTimeInterval(10)
        while !sawahd.log.contains("MQTT connected") && Date() < connectDeadline { usleep(50_000) }
        #expect(sawahd.log.contains("MQTT connected"), "\(sawahd.log)")
        let gateway = try Client(port: port, user: "sawah-gw", password: "gw-secret-password", subscribe: "#")
        #expect(gateway.waitConnected(), "\(gateway.events.withLock { $0 }) \(broker.log)")
        usleep(300_000)
        let nodeA = try Client(port: port, user: "node-a", password: a.password)
        #expect(nodeA.waitConnected(), "\(nodeA.events.withLock { $0 })")
        _ = try nodeA.client.publish(topic: "farm/a/soil", text: "{\"temperature\": 21.5}")
        _ = try nodeA.client.publish(topic: "farm/b/soil", text: "{\"temperature\": 99}")
        let nodeC = try Client(port: port, user: "node-c", password: try provisioner.password(for: "node-c"))
        #expect(nodeC.waitConnected())
        _ = try nodeC.client.publish(topic: "node-c/sensor/temperature/state", text: "19.25")
        let seenDeadline = Date().addingTimeInterval(5)
        while gateway.messages.withLock({ $0.count }) < 2 && Date() < seenDeadline { usleep(20_000) }
        usleep(500_000)
        let seen = gateway.messages.withLock { $0 }
        #expect(seen.contains("farm/a/soil {\"temperature\": 21.5}"), "\(seen)")
        #expect(seen.contains("node-c/sensor/temperature/state 19.25"), "\(seen)")
        #expect(!seen.contains { $0.hasPrefix("farm/b/soil") }, "node A cannot publish as node B: \(seen)")
        #expect(conf.contains("max_packet_size \(BrokerRenderer.maxPacketSize)"))

        // A packet over the broker's limit, even on the node's own topic: dropped, and the node
        // disconnected, before sawahd ever has to hold it.
        _ = try? nodeA.client.publish(topic: "farm/a/soil", text: String(repeating: "9", count: 200_000))
        let dropDeadline = Date().addingTimeInterval(5)
        while !nodeA.events.withLock({ $0.contains { $0.hasPrefix("connectionLost") } }) && Date() < dropDeadline { usleep(20_000) }
        usleep(300_000)
        #expect(nodeA.events.withLock { $0 }.contains { $0.hasPrefix("connectionLost") }, "\(nodeA.events.withLock { $0 })")
        #expect(!gateway.messages.withLock { $0 }.contains { $0.count > 100_000 }, "the oversized message never reached a subscriber")

        // What sawahd stored: node A's reading, and nothing under node B's sensor.
        _ = sawahd.stop()
        let stored = try ChildProcess.run(
            "/usr/bin/sqlite3",
            [
                directory.file("data/journal.sqlite"),
                "SELECT sensor || '=' || value FROM reading_rows ORDER BY seq"
            ])
        #expect(stored.output.split(separator: "\n").map(String.init) == ["a-soil=21.5", "c-temp=19.25"], "\(stored.output) \(sawahd.log)")

        let stranger = try Client(port: port, user: "stranger", password: "guess")
        #expect(!stranger.waitConnected(timeout: 3), "an unknown client is refused")
        let wrong = try Client(port: port, user: "node-b", password: a.password)
        #expect(!wrong.waitConnected(timeout: 3), "a node's name with another's password is refused")
        #expect(stranger.events.withLock { $0 }.contains { $0.contains("connectRefused") }, "\(stranger.events.withLock { $0 })")
        for client in [gateway, nodeA, nodeC, stranger, wrong] { client.client.disconnect() }
    }
}
