import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahJournal
@testable import SawahSQLite
@testable import SawahStatus

/// One power-cut test's record: the messages published boot by boot (numbered from 0, each
/// message's number its payload's `seq`), and what each boot's integrity check said of the
/// journal the previous cut left.
struct PowerCutRun {
    let guest: PowerCutGuest
    let label: String
    var next = 0
    var published: [Range<Int>] = []
    var integrity: [String] = []

    /// What the image held once the clean boot had drained the broker.
    struct Outcome {
        var integrity: String
        /// Message numbers stored, and how many rows they took (more: stored twice).
        var stored: Set<Int>
        var rows: Int
        var report: JournalVerifier.Report
        var unsealed: Int64
    }

    /// Boots the guest, waits for sawahd, publishes 400–1,600 messages at ~400 a second through
    /// the publisher `connect` gives (called once sawahd is up), and cuts the power at a random
    /// one of them; returns that publisher.
    @discardableResult
    mutating func cut(_ boot: Int, connect: () throws -> ConfirmedPublisher) throws -> ConfirmedPublisher {
        let started = MonotonicClock.milliseconds()
        let machine = try guest.boot(number: boot, command: guest.runCommand(boot: boot))
        try #require(guest.waitForSubscription(boot: boot, machine: machine), "boot \(boot): sawahd never subscribed\n\(guest.console(boot: boot))")
        let publisher = try connect()
        let count = Int.random(in: 400...1_600)
        let cutAt = Int.random(in: count / 4...count - 1)
        for index in 0..<count {
            if index == cutAt { machine.kill9() }
            // After the cut, a broker inside the guest is gone with it: those publishes fail.
            try? publisher.publish(topic: "test/counter", payload: #"{"seq": \#(next)}"#, key: next)
            next += 1
            usleep(2_500)
        }
        machine.wait()
        published.append(next - count..<next)
        print("power cut \(boot) (\(label)): \(count) messages, the cut after \(cutAt), \(MonotonicClock.milliseconds() - started) ms from boot")
        if let result = guest.share("integrity-\(boot)") { integrity.append(result) }
        return publisher
    }

    /// The clean boot: sawahd drains what the broker kept for it until the journal holds
    /// `expected` messages (or nothing more comes), then stops; then the image is counted.
    mutating func drainAndCount(boot: Int, expected: Int) throws -> Outcome {
        try guest.share(write: "\(expected)", to: "expected")
        let final = try guest.boot(number: boot, command: guest.drainCommand(boot: boot))
        let started = MonotonicClock.milliseconds()
        final.wait(timeout: 600)
        print("power cut (\(label)): the clean boot drained in \(MonotonicClock.milliseconds() - started) ms")
        if let result = guest.share("integrity-\(boot)") { integrity.append(result) }
        let path = try guest.copyData() + "/journal.sqlite"
        let db = try SQLiteConnection(path: path)
        var stored = Set<Int>()
        var rows = 0
        let query = try db.prepare("SELECT value FROM readings")
        while try query.step() {
            stored.insert(Int(query.double(0)))
            rows += 1
        }
        let reader = try JournalReader(path: path)
        return Outcome(
            integrity: try db.scalarText("PRAGMA integrity_check") ?? "", stored: stored, rows: rows,
            report: try JournalVerifier(reader: reader).verify(),
            unsealed: try reader.unsealedCount(lot: GatewayHarness.counterLot, sensors: ["counter"]))
    }

    /// Every boot after the first checked the journal the cut before it left, and found it ok.
    func integrityHeld(cuts: Int) -> Bool {
        integrity.count == cuts && integrity.allSatisfy { $0 == "ok" }
    }
}
