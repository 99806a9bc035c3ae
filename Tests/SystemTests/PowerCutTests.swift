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
        var run = PowerCutRun(guest: guest, label: durability)
        for cut in 1...cuts { try run.cut(cut) { publisher } }
        #expect(publisher.waitForAcknowledgements(timeout: 60))
        let outcome = try run.drainAndCount(boot: cuts + 1, expected: run.next)

        let lost = (0..<run.next).filter { !outcome.stored.contains($0) }
        let lostPerCut = run.published.map { range in range.filter { !outcome.stored.contains($0) }.count }
        print(
            "power cut (\(durability)): \(cuts) cuts, \(run.next) acknowledged, \(outcome.stored.count) stored, \(lost.count) lost,"
                + " \(outcome.rows - outcome.stored.count) stored twice, integrity \(run.integrityHeld(cuts: cuts) ? "ok" : "FAILED") at \(run.integrity.count) boots,"
                + " \(outcome.report.batches) batches, chain \(outcome.report.failures.isEmpty ? "verifies" : "FAILED"), \(outcome.unsealed) unsealed")
        print("power cut (\(durability)): lost per cut \(lostPerCut) of \(run.published.map(\.count)) published (one every 2.5 ms)")
        #expect(outcome.integrity == "ok")
        #expect(run.integrityHeld(cuts: cuts), "\(run.integrity)")
        #expect(outcome.report.failures.isEmpty, "\(outcome.report.failures)")
        #expect(outcome.report.batches > 0)
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
        var run = PowerCutRun(guest: guest, label: "broker in the cut")
        for cut in 1...cuts {
            let publisher = try run.cut(cut) { try ConfirmedPublisher(port: guest.broker.forwardedPort!) }
            acknowledged.formUnion(publisher.acknowledged)
            publisher.close()
        }
        let outcome = try run.drainAndCount(boot: cuts + 1, expected: acknowledged.count)
        let lost = acknowledged.subtracting(outcome.stored)
        print(
            "power cut (broker in the cut, durability power): \(cuts) cuts, \(run.next) published, \(acknowledged.count) acknowledged by the broker,"
                + " \(lost.count) of them lost (\(String(format: "%.1f", Double(lost.count) / Double(cuts))) per cut), integrity"
                + " \(run.integrityHeld(cuts: cuts) ? "ok" : "FAILED") at \(run.integrity.count) boots, chain \(outcome.report.failures.isEmpty ? "verifies" : "FAILED")"
        )
        #expect(outcome.integrity == "ok")
        #expect(run.integrityHeld(cuts: cuts), "\(run.integrity)")
        #expect(outcome.report.failures.isEmpty, "\(outcome.report.failures)")
        #expect(acknowledged.count > 0)
    }
}
