import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahStatus

/// Set by scripts/gpio-sim-test's guest only: anywhere else, setting the clock would move the
/// host's.
private let guestOwnsTheClock = ProcessInfo.processInfo.environment["SAWAH_GUEST_OWNS_CLOCK"] == "1"

/// sawahd on a machine whose clock the test owns: inside scripts/gpio-sim-test's QEMU guest
/// (`SAWAH_GUEST_OWNS_CLOCK=1`), where setting the clock touches nothing but the guest. A board
/// without a real-time clock boots in 1970 and NTP sets it later; an NTP client may also step
/// a running clock back. Waits here run on the monotonic clock, which neither step moves.
@Suite(.serialized, .enabled(if: guestOwnsTheClock, "runs inside scripts/gpio-sim-test's QEMU guest"))
struct GuestClockTests {
    /// The guest's true time: QEMU's emulated RTC, read at boot, runs from the host's clock.
    static let trueStart = (wall: Clock.nowMilliseconds(), monotonic: MonotonicClock.milliseconds())
    static var trueNow: Int64 { trueStart.wall + MonotonicClock.milliseconds() - trueStart.monotonic }

    static func waitUntil(seconds: Int64, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = MonotonicClock.milliseconds() + seconds * 1_000
        while MonotonicClock.milliseconds() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    static func publish(_ values: Range<Int>, to broker: MosquittoBroker, pause: useconds_t = 0, midway: (() throws -> Void)? = nil) throws {
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        for value in values {
            if value == values.lowerBound + values.count / 2 { try midway?() }
            try publisher.publish(topic: "test/counter", payload: #"{"seq": \#(value)}"#, key: value)
            if pause > 0 { usleep(pause) }
        }
        #expect(publisher.waitForAcknowledgements(timeout: 60))
    }

    @Test func aBootIn1970IsSealedWithTrueTimesOnceNTPSetsTheClock() throws {
        let start = Self.trueStart.wall
        defer { try? ClockSync.setSystemClock(wallMilliseconds: Self.trueNow, synchronised: true) }
        try ClockSync.setSystemClock(wallMilliseconds: 86_400_000, synchronised: false)  // 1970-01-02
        #expect(!ClockSync.read().synchronized)

        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1), clock: "ntp")
        defer { gateway.remove() }
        #expect(try gateway.sawah(["identity", "create", "--config", gateway.configPath]).status == 0)
        try gateway.start(timeout: 60)
        try Self.publish(0..<50, to: broker)
        let reader = try JournalReader(path: gateway.journalPath)
        #expect(try Self.waitUntil(seconds: 30) { try reader.counts().readings == 50 })
        // Several sealing passes (every second) go by: nothing may be sealed with a 1970 time.
        usleep(3_000_000)
        #expect(try reader.batchCount() == 0)
        let waiting = try gateway.sawah(["status", "--config", gateway.configPath])
        #expect(waiting.output.contains("50 readings of this boot wait for the clock"), "\(waiting.output)")

        // NTP arrives: the clock steps 56 years forward and the kernel counts it synchronised.
        try ClockSync.setSystemClock(wallMilliseconds: Self.trueNow, synchronised: true)
        let synchronisedAt = Self.trueNow
        #expect(try Self.waitUntil(seconds: 30) { try reader.unsealedCount(lot: GatewayHarness.counterLot, sensors: ["counter"]) == 0 })
        let readings = try reader.readings(afterSeq: 0, limit: 100).map(\.reading)
        #expect(readings.count == 50)
        #expect(readings.allSatisfy { $0.quality == [.receiveTime, .clockCorrected] }, "\(Set(readings.map(\.quality.names)))")
        #expect(
            readings.allSatisfy { $0.receivedAt >= start - 1_000 && $0.receivedAt <= synchronisedAt && $0.observedAt == $0.receivedAt },
            "true receive times between the boot and the sync: \(readings.first!.receivedAt)…\(readings.last!.receivedAt), start \(start)")
        let batches = try reader.batches()
        #expect(batches.allSatisfy { $0.startTime >= start - 1_000 && $0.startTime <= $0.endTime })
        #expect(batches.reduce(0) { $0 + $1.readingCount } == 50)
        let report = try JournalVerifier(reader: reader).verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(gateway.daemon.log.contains("readings received before got their true times"))
        #expect(gateway.daemon.stop() == 0)
    }

    @Test func aClockSteppedBackAnHourWhileReadingsFlowKeepsOrderChainAndIntervals() throws {
        try ClockSync.setSystemClock(wallMilliseconds: Self.trueNow, synchronised: true)
        defer { try? ClockSync.setSystemClock(wallMilliseconds: Self.trueNow, synchronised: true) }
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: 40), clock: "ntp")
        defer { gateway.remove() }
        #expect(try gateway.sawah(["identity", "create", "--config", gateway.configPath]).status == 0)
        try gateway.start(timeout: 60)
        try Self.publish(0..<200, to: broker, pause: 10_000) {
            try ClockSync.setSystemClock(wallMilliseconds: Clock.nowMilliseconds() - 3_600_000, synchronised: true)
        }
        let reader = try JournalReader(path: gateway.journalPath)
        #expect(try Self.waitUntil(seconds: 30) { try reader.counts().readings == 200 })
        let rows = try reader.readings(afterSeq: 0, limit: 300)
        #expect(rows.map(\.reading.value) == (0..<200).map(Double.init), "the journal's order is the messages' order")
        #expect(rows.map(\.seq) == rows.map(\.seq).sorted())
        let steps = zip(rows, rows.dropFirst()).map { $1.reading.receivedAt - $0.reading.receivedAt }
        #expect(steps.contains { $0 < -3_000_000 }, "the step back shows in the receive times")
        #expect(rows.allSatisfy { $0.reading.quality == .receiveTime }, "a synchronised clock flags nothing")

        #expect(try Self.waitUntil(seconds: 60) { try reader.unsealedCount(lot: GatewayHarness.counterLot, sensors: ["counter"]) == 0 })
        let batches = try reader.batches()
        #expect(batches.map(\.number) == Array(1...Int64(batches.count)))
        #expect(batches.allSatisfy { $0.startTime <= $0.endTime }, "no negative interval")
        #expect(batches.reduce(0) { $0 + $1.readingCount } == 200)
        let report = try JournalVerifier(reader: reader).verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(gateway.daemon.stop() == 0)
    }
}
