import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// What a dashboard (Home Assistant or any MQTT client) sees of a running gateway.
@Suite(.serialized) struct DashboardFeedTests {
    static func json(_ message: MQTTMessageLike) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(message.payload))) as? [String: Any] ?? [:]
    }

    typealias MQTTMessageLike = (topic: String, payload: [UInt8])

    @Test func statusDiscoveryValuesHealthAndTheLastWill() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(
            broker: broker, extraConfig: "",
            sensors: IngestEndToEndTests.farmSensors + """

                [dashboard]
                health_interval_seconds = 1
                """)
        defer { gateway.remove() }
        let subscriber = try CollectingSubscriber(port: broker.port, filter: "#")
        defer { subscriber.close() }
        #expect(subscriber.wait(timeout: 5) { _ in subscriber.client.isConnected })
        try gateway.start()
        let root = "sawah/\(gateway.gatewayID)"

        #expect(subscriber.wait(timeout: 10) { $0.contains { $0.topic == "\(root)/status" && $0.payload == Array("online".utf8) } })
        // Discovery: one per sensor quantity (1 + 3 + 1) and three gateway health sensors.
        #expect(subscriber.wait(timeout: 10) { $0.filter { $0.topic.hasPrefix("homeassistant/sensor/") }.count >= 8 })
        let discovery = subscriber.received.filter { $0.topic.hasPrefix("homeassistant/sensor/") && $0.topic.hasSuffix("/config") }
        for message in discovery {
            let payload = Self.json((message.topic, message.payload))
            for key in ["name", "unique_id", "state_topic", "availability_topic", "payload_available", "payload_not_available", "device", "value_template"] {
                #expect(payload[key] != nil, "\(message.topic) lacks \(key)")
            }
            #expect((payload["device"] as? [String: Any])?["identifiers"] != nil)
        }
        let soil = discovery.first { $0.topic.contains("plot1_soil_temp_soil_temperature") }.map { Self.json(($0.topic, $0.payload)) }
        #expect(soil?["device_class"] as? String == "temperature")
        #expect(soil?["unit_of_measurement"] as? String == "°C")
        #expect(soil?["state_class"] as? String == "measurement")
        #expect(soil?["state_topic"] as? String == "\(root)/sensor/plot1-soil-temp/soil_temperature")

        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        try publisher.publish(topic: "test/plot1/soil-temp", payload: #"{"temperature": 24.5}"#, key: 1)
        try publisher.publish(topic: "test/station/air", payload: #"{"temperature": 27.1, "humidity": 81, "pressure": 1008.6}"#, key: 2)
        try publisher.publish(topic: "test/plot1/soil-temp", payload: #"{"temperature": "broken"}"#, key: 3)
        #expect(publisher.waitForAcknowledgements(timeout: 10))
        #expect(subscriber.wait(timeout: 10) { $0.contains { $0.topic == "\(root)/sensor/station-air/air_pressure" } })
        let pressure = subscriber.received.last { $0.topic == "\(root)/sensor/station-air/air_pressure" }!
        #expect(Self.json((pressure.topic, pressure.payload))["value"] as? Double == 1008.6)
        #expect(Self.json((pressure.topic, pressure.payload))["unit"] as? String == "hPa")

        // Health matches the journal.
        let reader = try JournalReader(path: gateway.journalPath)
        #expect(
            subscriber.wait(timeout: 10) { messages in
                messages.contains { $0.topic == "\(root)/health" && (Self.json(($0.topic, $0.payload))["readings_total"] as? Double) == 4 }
            })
        let health = Self.json(subscriber.received.last { $0.topic == "\(root)/health" }.map { ($0.topic, $0.payload) }!)
        #expect(health["readings_total"] as? Double == Double(try reader.counts().readings))
        #expect(health["quarantined_total"] as? Double == Double(try reader.counters()["quarantined_total"] ?? 0))
        #expect(health["quarantined_total"] as? Double == 1)
        #expect((health["free_disk_bytes"] as? Double ?? 0) > 0)
        // The clock's state, as the kernel has it, and sawahd storing what arrives.
        #expect((health["clock"] as? [String: Any])?["synchronized"] as? Bool == ClockSync.read().synchronized)
        #expect((health["ingest"] as? [String: Any])?["state"] as? String == "ok")

        // A dashboard that connects later gets status, discovery and values as retained messages.
        let late = try CollectingSubscriber(port: broker.port, filter: "#")
        defer { late.close() }
        #expect(
            late.wait(timeout: 10) { messages in
                messages.filter { $0.retain && $0.topic.hasPrefix("homeassistant/sensor/") }.count == discovery.count
                    && messages.contains { $0.retain && $0.topic == "\(root)/status" && $0.payload == Array("online".utf8) }
                    && messages.contains { $0.retain && $0.topic == "\(root)/sensor/plot1-soil-temp/soil_temperature" }
            })

        // A crash: the broker publishes the last will.
        gateway.daemon.kill9()
        #expect(
            subscriber.wait(timeout: 10) { messages in
                messages.last { $0.topic == "\(root)/status" }?.payload == Array("offline".utf8)
            })
    }
}
