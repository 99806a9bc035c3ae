import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahSQLite
@testable import SawahStatus

/// The kernel and initramfs of scripts/gpio-sim-test's guest, set by scripts/power-cut-test.
private let guestKernel = ProcessInfo.processInfo.environment["SAWAH_POWER_CUT_KERNEL"]

/// Cuts the power, not the process: sawahd runs in a QEMU guest with its journal on a virtio
/// disk the host opened with `cache=none` (what the guest flushed is in the image, what it did
/// not is gone), and QEMU itself is killed with SIGKILL at random instants while readings flow
/// and batches are sealed. The broker and the publisher run on the host, outside the cut, so
/// whatever sawahd did not acknowledge is redelivered and every loss counted is sawahd's own.
/// After the last cut a clean boot drains the broker; then the image is checked.
@Suite(.serialized, .enabled(if: guestKernel != nil, "run by scripts/power-cut-test"))
struct PowerCutTests {
    /// Cuts per durability: `SAWAH_POWER_CUTS` (20) with "power", `SAWAH_POWER_CUTS_PROCESS`
    /// (10) with "process", whose loss the test measures rather than bounds.
    static func cuts(_ durability: String) -> Int {
        let variable = durability == "power" ? "SAWAH_POWER_CUTS" : "SAWAH_POWER_CUTS_PROCESS"
        return Int(ProcessInfo.processInfo.environment[variable] ?? "") ?? (durability == "power" ? 20 : 10)
    }

    @Test(arguments: ["power", "process"]) func cuttingThePowerLosesNothingAcknowledged(durability: String) throws {
        let directory = try TemporaryDirectory(prefix: "sawah-power-cut")
        defer { directory.remove() }
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let cuts = Self.cuts(durability)
        let guest = try PowerCutGuest(directory: directory, kernel: guestKernel!, broker: .host(port: broker.port), durability: durability)

        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        var next = 0
        var integrity: [String] = []
        var published: [Range<Int>] = []
        for cut in 1...cuts {
            let started = MonotonicClock.milliseconds()
            let machine = try guest.boot(number: cut, command: guest.runCommand(boot: cut))
            try #require(guest.waitForSubscription(boot: cut, machine: machine), "boot \(cut): sawahd never subscribed\n\(guest.console(boot: cut))")
            // 1-4 s of readings at ~400 a second, the power cut somewhere inside.
            let count = Int.random(in: 400...1_600)
            let cutAt = Int.random(in: count / 4...count - 1)
            for index in 0..<count {
                if index == cutAt { machine.kill9() }
                try publisher.publish(topic: "test/counter", payload: #"{"seq": \#(next)}"#, key: next)
                next += 1
                usleep(2_500)
            }
            machine.wait()
            published.append(next - count..<next)
            print("power cut \(cut) (\(durability)): \(count) messages, the cut after \(cutAt), \(MonotonicClock.milliseconds() - started) ms from boot")
            if let result = guest.share("integrity-\(cut)") { integrity.append(result) }
        }
        #expect(publisher.waitForAcknowledgements(timeout: 60))

        // The clean boot: sawahd drains what the broker kept for it, then stops with SIGTERM.
        try guest.share(write: "\(next)", to: "expected")
        let final = try guest.boot(number: cuts + 1, command: guest.drainCommand(boot: cuts + 1))
        let drainStarted = MonotonicClock.milliseconds()
        final.wait(timeout: 600)
        print("power cut (\(durability)): the clean boot drained in \(MonotonicClock.milliseconds() - drainStarted) ms")
        if let result = guest.share("integrity-\(cuts + 1)") { integrity.append(result) }
        let data = try guest.copyData()

        let db = try SQLiteConnection(path: data + "/journal.sqlite")
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
        var stored = Set<Int>()
        var rows = 0
        let query = try db.prepare("SELECT value FROM readings")
        while try query.step() {
            stored.insert(Int(query.double(0)))
            rows += 1
        }
        let lost = (0..<next).filter { !stored.contains($0) }
        let lostPerCut = published.map { range in range.filter { !stored.contains($0) }.count }
        let reader = try JournalReader(path: data + "/journal.sqlite")
        let report = try JournalVerifier(reader: reader).verify()
        let unsealed = try reader.unsealedCount(lot: GatewayHarness.counterLot, sensors: ["counter"])
        print(
            "power cut (\(durability)): \(cuts) cuts, \(next) acknowledged, \(stored.count) stored, \(lost.count) lost,"
                + " \(rows - stored.count) stored twice, integrity \(integrity.allSatisfy { $0 == "ok" } ? "ok" : "FAILED") at \(integrity.count) boots,"
                + " \(report.batches) batches, chain \(report.failures.isEmpty ? "verifies" : "FAILED"), \(unsealed) unsealed")
        print("power cut (\(durability)): lost per cut \(lostPerCut) of \(published.map(\.count)) published (one every 2.5 ms)")
        #expect(integrity.count == cuts && integrity.allSatisfy { $0 == "ok" }, "\(integrity)")
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.batches > 0)
        if durability == "power" {
            #expect(lost.isEmpty, "lost \(lost.count): \(lost.prefix(20))")
        }
    }

    /// The broker inside the cut, with the persistence `sawah broker render` writes (a snapshot
    /// every 60 s): what a farm's one board loses, the broker's share on top of sawahd's (none,
    /// with durability "power", as the test above shows). A publisher per boot on the host
    /// reaches the guest's broker through a forwarded port; only messages it acknowledged count.
    @Test func theBrokerInsideTheCutLosesWhatItHeldUnsaved() throws {
        let cuts = Int(ProcessInfo.processInfo.environment["SAWAH_POWER_CUTS_BROKER"] ?? "") ?? 10
        let directory = try TemporaryDirectory(prefix: "sawah-power-cut")
        defer { directory.remove() }
        let guest = try PowerCutGuest(
            directory: directory, kernel: guestKernel!, broker: .guest(forwardedPort: try freeLoopbackPort()), durability: "power")
        var acknowledged = Set<Int>()
        var next = 0
        var integrity: [String] = []
        for cut in 1...cuts {
            let machine = try guest.boot(number: cut, command: guest.runCommand(boot: cut))
            try #require(guest.waitForSubscription(boot: cut, machine: machine), "boot \(cut): sawahd never subscribed\n\(guest.console(boot: cut))")
            let publisher = try ConfirmedPublisher(port: guest.broker.forwardedPort!)
            let count = Int.random(in: 400...1_600)
            let cutAt = Int.random(in: count / 4...count - 1)
            for index in 0..<count {
                if index == cutAt { machine.kill9() }
                try? publisher.publish(topic: "test/counter", payload: #"{"seq": \#(next)}"#, key: next)
                next += 1
                usleep(2_500)
            }
            machine.wait()
            acknowledged.formUnion(publisher.acknowledged)
            publisher.close()
            if let result = guest.share("integrity-\(cut)") { integrity.append(result) }
        }
        try guest.share(write: "\(acknowledged.count)", to: "expected")
        let final = try guest.boot(number: cuts + 1, command: guest.drainCommand(boot: cuts + 1))
        final.wait(timeout: 600)
        if let result = guest.share("integrity-\(cuts + 1)") { integrity.append(result) }
        let data = try guest.copyData()
        let db = try SQLiteConnection(path: data + "/journal.sqlite")
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
        var stored = Set<Int>()
        let query = try db.prepare("SELECT value FROM readings")
        while try query.step() { stored.insert(Int(query.double(0))) }
        let lost = acknowledged.subtracting(stored)
        let report = try JournalVerifier(reader: try JournalReader(path: data + "/journal.sqlite")).verify()
        print(
            "power cut (broker in the cut, durability power): \(cuts) cuts, \(next) published, \(acknowledged.count) acknowledged by the broker,"
                + " \(lost.count) of them lost (\(String(format: "%.1f", Double(lost.count) / Double(cuts))) per cut), integrity"
                + " \(integrity.allSatisfy { $0 == "ok" } ? "ok" : "FAILED") at \(integrity.count) boots, chain \(report.failures.isEmpty ? "verifies" : "FAILED")"
        )
        #expect(integrity.count == cuts && integrity.allSatisfy { $0 == "ok" }, "\(integrity)")
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(acknowledged.count > 0)
    }
}
