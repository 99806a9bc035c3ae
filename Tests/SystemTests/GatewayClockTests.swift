import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// sawahd with `clock = "ntp"` (the default) on this machine, whose clock state the test reads
/// the same way: unsynchronised (as the project's VMs report), every reading is flagged and a
/// device time "ahead" of the gateway is kept; synchronised, nothing is flagged and a device
/// time a day ahead is refused as implausible. Either way the test knows which to expect.
@Suite(.serialized) struct GatewayClockTests {
    @Test func readingsSayWhetherTheGatewayClockWasSynchronised() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, sensors: IngestEndToEndTests.farmSensors, clock: "ntp")
        defer { gateway.remove() }
        try gateway.start()
        let synchronised = ClockSync.read().synchronized
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        let dayAhead = (Int64(Date().timeIntervalSince1970) + 86_400)
        try publisher.publish(topic: "test/plot1/soil-temp", payload: #"{"temperature": 24.5, "time": \#(dayAhead)}"#, key: 1)
        try publisher.publish(topic: "test/plot1/soil-temp", payload: #"{"temperature": 25.0}"#, key: 2)
        #expect(publisher.waitForAcknowledgements(timeout: 10))
        let reader = try JournalReader(path: gateway.journalPath)
        let deadline = Date().addingTimeInterval(10)
        while try reader.counts().readings < 2, Date() < deadline { usleep(50_000) }
        let readings = try reader.readings(afterSeq: 0, limit: 10).map(\.reading)
        try #require(readings.count == 2)
        if synchronised {
            #expect(readings[0].quality == [.receiveTime, .implausibleDeviceTime])
            #expect(readings[1].quality == .receiveTime)
            #expect(!gateway.daemon.log.contains("the system clock is not synchronised"))
        } else {
            #expect(readings[0].observedAt == dayAhead * 1000)
            #expect(readings[0].quality == .unsynchronisedGatewayClock)
            #expect(readings[1].quality == [.receiveTime, .unsynchronisedGatewayClock])
            #expect(gateway.daemon.log.contains("the system clock is not synchronised"))
        }
        let tail = try gateway.sawah(["readings", "tail", "--config", gateway.configPath, "-n", "2"])
        if !synchronised { #expect(tail.output.contains("unsynchronised-gateway-clock"), "\(tail.output)") }
        let status = try gateway.sawah(["status", "--config", gateway.configPath])
        if !synchronised {
            #expect(status.output.contains("2 readings of this boot wait for the clock to be synchronised"), "\(status.output)")
        } else {
            #expect(!status.output.contains("wait for the clock"), "\(status.output)")
        }
        #expect(gateway.daemon.stop() == 0)
    }
}
