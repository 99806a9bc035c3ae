import Foundation
import SawahProvisioning
import TestSupport
import Testing

@testable import SawahJournal

/// The broker itself crashes (`kill -9`) and restarts while readings flow, with the autosave
/// settings `sawah broker render` writes. mosquitto 2.0 keeps messages in memory and saves a
/// snapshot every `autosave_interval` seconds, so a crash loses what it had acknowledged to a
/// publisher but not yet passed on; Sawah must add no loss of its own (every message sawahd
/// acknowledged is in the journal) and store nothing twice when the restarted broker replays
/// its older snapshot. The figure is printed and recorded in the README.
@Suite(.serialized) struct BrokerCrashTests {
    static let crashes = 10

    @Test func killNineOfTheBrokerLosesOnlyWhatItHeldAndSawahStoresNothingTwice() throws {
        // Whatever `sawah broker render` sets for persistence, applied over the harness's
        // loopback test config (mosquitto keeps the last value of a repeated option).
        let rendered = BrokerRenderer.persistenceSettings.joined(separator: "\n")
        let broker = try MosquittoBroker(extraConfig: rendered)
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker)
        defer { gateway.remove() }
        try gateway.start()
        // A broker that has run for a while has saved sawahd's session (its subscription) in a
        // snapshot; a restart then queues for sawahd before it is back. A graceful restart
        // takes that snapshot now rather than after the 60 s autosave.
        broker.stop()
        try broker.start()
        let reconnected = Date().addingTimeInterval(20)
        while gateway.daemon.log.components(separatedBy: "MQTT connected").count < 3 && Date() < reconnected { usleep(50_000) }
        #expect(gateway.daemon.log.contains("session_present=true"))
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }

        let total = 12_000
        let finished = CrashDurabilityTests.publishInBackground(publisher, count: total, perSecond: 1_000)
        var rng = SystemRandomNumberGenerator()
        // Each crash comes at a random instant once sawahd is back and draining: what is lost
        // is what the broker held at that instant, not what piled up while sawahd reconnected.
        var connections = gateway.daemon.log.components(separatedBy: "MQTT connected").count
        for _ in 0..<Self.crashes {
            let back = Date().addingTimeInterval(20)
            while gateway.daemon.log.components(separatedBy: "MQTT connected").count <= connections - 1 && Date() < back { usleep(20_000) }
            connections = gateway.daemon.log.components(separatedBy: "MQTT connected").count + 1
            usleep(UInt32.random(in: 200_000...800_000, using: &rng))
            broker.kill9()
            usleep(200_000)
            try broker.start()
        }
        let deadline = Date().addingTimeInterval(60)
        while !finished.value && Date() < deadline { usleep(50_000) }
        #expect(publisher.waitForAcknowledgements(timeout: 60))
        let acknowledged = publisher.acknowledged
        let stored = try CrashDurabilityTests.settle(gateway, acknowledged: acknowledged, timeout: 20)
        let lost = acknowledged.subtracting(stored.keys)
        let twice = stored.filter { $0.value > 1 }.keys.sorted()
        #expect(gateway.daemon.isRunning)
        #expect(gateway.daemon.stop() == 0)
        let counters = try JournalReader(path: gateway.journalPath).counters()
        print(
            """
            broker kill -9: \(Self.crashes) crashes, \(acknowledged.count) acknowledged to the publisher, \(stored.count) stored, \
            \(lost.count) lost in the broker (\(String(format: "%.1f", Double(lost.count) / Double(Self.crashes))) per crash), \
            stored twice: \(twice.count) (resent by the publisher after a lost PUBACK), \
            broker replays skipped by sawahd: \(counters["mqtt_redeliveries_skipped"] ?? 0)
            """)
        // What the broker lost is bounded by what it can hold unsent: at 1,000 messages/s with
        // sawahd keeping up, well under a second's worth per crash.
        #expect(lost.count < Self.crashes * 1_000, "lost \(lost.count)")
    }
}
