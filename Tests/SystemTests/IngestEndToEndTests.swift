import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// `sawahd` as a subprocess against a real mosquitto, checked through its real journal.
@Suite(.serialized) struct IngestEndToEndTests {
    static let farmSensors = """
        [[sensors]]
        id = "plot1-soil-temp"
        profile = "ds18b20"
        topic = "test/plot1/soil-temp"

        [[sensors]]
        id = "station-air"
        profile = "bme280"
        topic = "test/station/air"

        [[sensors]]
        id = "plot-moisture"
        profile = "capacitive-soil-moisture"
        topic = "test/+/moisture"
        """

    @Test func readingsArriveNormalisedAndBadInputIsQuarantinedWithAReason() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, sensors: Self.farmSensors)
        defer { gateway.remove() }
        try gateway.start()
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }

        try publisher.publish(topic: "test/plot1/soil-temp", payload: #"{"temperature": 24.5, "time": 1764400000}"#, key: 1)
        try publisher.publish(topic: "test/station/air", payload: #"{"temperature": 27.1, "humidity": 81, "pressure": 1008.6}"#, key: 2)
        try publisher.publish(topic: "test/plot7/moisture", payload: #"{"moisture": 31.5}"#, key: 3)
        let bad: [(topic: String, payload: [UInt8], reason: String)] = [
            ("test/plot1/soil-temp", Array(#"{"temperature": 24."#.utf8), "malformed JSON"),
            ("test/plot1/soil-temp", Array(#"{"temperature": "hot"}"#.utf8), "expected a number, found the string \"hot\""),
            ("test/plot1/soil-temp", Array(#"{"temperature": NaN}"#.utf8), "malformed JSON"),
            ("test/plot1/soil-temp", Array(#"{"temperature": Infinity}"#.utf8), "malformed JSON"),
            ("test/plot1/soil-temp", Array(#"{"temperature": 300}"#.utf8), "outside the valid range"),
            ("test/plot1/soil-temp", Array(#"{"temperature": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8), "not valid UTF-8"),
            (
                "test/plot1/soil-temp", Array(("{\"temperature\": 1, \"pad\": \"" + String(repeating: "x", count: 1_048_576) + "\"}").utf8),
                "exceeds the 65536-byte limit"
            ),
            ("test/unknown/node", Array(#"{"temperature": 20}"#.utf8), "no sensor is configured for topic \"test/unknown/node\"")
        ]
        for item in bad {
            _ = try publisher.client.publish(topic: item.topic, payload: item.payload, qos: 1)
        }
        // A good reading after the bad ones proves the daemon kept going.
        try publisher.publish(topic: "test/plot1/soil-temp", payload: #"{"temperature": 25.0}"#, key: 4)
        #expect(publisher.waitForAcknowledgements(timeout: 10))

        let reader = try JournalReader(path: gateway.journalPath)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let counts = try reader.counts()
            if counts.readings >= 6 && counts.quarantine >= Int64(bad.count) { break }
            usleep(50_000)
        }
        #expect(gateway.daemon.isRunning)
        let readings = try reader.readings(afterSeq: 0, limit: 100).map(\.reading)
        let summary = readings.map { "\($0.sensor)/\($0.quantity)=\($0.value) \($0.unit)" }
        #expect(
            summary == [
                "plot1-soil-temp/soil_temperature=24.5 CEL",
                "station-air/air_temperature=27.1 CEL",
                "station-air/relative_humidity=81.0 P1",
                "station-air/air_pressure=1008.6 A97",
                "plot-moisture/soil_moisture=31.5 P1",
                "plot1-soil-temp/soil_temperature=25.0 CEL"
            ])
        #expect(readings[0].observedAt == 1_764_400_000_000 && readings[0].quality.isEmpty)
        #expect(readings[1].quality == .receiveTime)
        #expect(readings[4].source == "test/plot7/moisture")

        let quarantined = try reader.quarantine(limit: 100).reversed().map(\.record)
        #expect(quarantined.count == bad.count)
        for (record, item) in zip(quarantined, bad) {
            #expect(record.source == item.topic)
            #expect(record.reason.contains(item.reason), "\(record.reason) should mention \(item.reason)")
            #expect(record.payloadSize == item.payload.count)
            #expect(record.payload == Array(item.payload.prefix(65_536)))
        }
        #expect(try reader.counters()["quarantined_total"] == Int64(bad.count))
        #expect(gateway.daemon.log.contains("quarantined payload"))
        #expect(gateway.daemon.stop() == 0)
    }

    @Test func messagesPublishedWhileTheGatewayIsDownArriveWhenItReturns() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker)
        defer { gateway.remove() }
        try gateway.start()
        #expect(gateway.daemon.stop() == 0)
        #expect(gateway.daemon.log.contains("sawahd stopped"))

        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        for seq in 1...5_000 {
            try publisher.publish(topic: "test/counter", payload: "{\"seq\": \(seq)}", key: seq)
        }
        #expect(publisher.waitForAcknowledgements(timeout: 30))
        try gateway.start()
        let reader = try JournalReader(path: gateway.journalPath)
        let deadline = Date().addingTimeInterval(30)
        while try reader.counts().readings < 5_000, Date() < deadline { usleep(50_000) }
        let values = try reader.readings(afterSeq: 0, limit: 10_000).map { Int($0.reading.value) }
        #expect(values.sorted() == Array(1...5_000))
        #expect(gateway.daemon.stop() == 0)
    }

    @Test func powerDurabilityStoresEverythingToo() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, durability: "power")
        defer { gateway.remove() }
        try gateway.start()
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        for seq in 1...2_000 {
            try publisher.publish(topic: "test/counter", payload: "{\"seq\": \(seq)}", key: seq)
        }
        #expect(publisher.waitForAcknowledgements(timeout: 30))
        let reader = try JournalReader(path: gateway.journalPath)
        let deadline = Date().addingTimeInterval(30)
        while try reader.counts().readings < 2_000, Date() < deadline { usleep(50_000) }
        #expect(try reader.counts().readings == 2_000)
        #expect(gateway.daemon.log.contains("durability=power"))
        #expect(gateway.daemon.stop() == 0)
    }
}
