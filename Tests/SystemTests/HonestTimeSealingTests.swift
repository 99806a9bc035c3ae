import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahGateway
@testable import SawahJournal
@testable import SawahSQLite
@testable import SawahStatus
@testable import SawahTraceability

/// The signed chain with DESIGN.md invariant 9 in force: readings of a boot that ended with an
/// unsynchronised clock are left out of a batch whose seq range spans them, this boot's are
/// waited for, corrected when the clock is set and sealed then; every batch still verifies from
/// the journal, its raw series rebuilt from exactly the rows it sealed.
@Suite struct HonestTimeSealingTests {
    static func readings(_ values: ClosedRange<Int>, unsynchronised: Bool, from start: Int64) -> IngestBatch {
        var batch = IngestBatch()
        for value in values {
            let time = start + Int64(value) * 60_000
            batch.readings.append(
                Reading(
                    sensor: "s", quantity: "soil_temperature", value: 24 + Double(value) / 10, unit: "CEL",
                    observedAt: time, receivedAt: time, source: "t/s",
                    quality: unsynchronised ? [.receiveTime, .unsynchronisedGatewayClock] : .receiveTime))
        }
        return batch
    }

    @Test func theChainVerifiesWithReadingsLeftOutAndReadingsCorrected() throws {
        let boot = try #require(MonotonicClock.bootID())
        let (directory, configPath, key) = try InterruptedRotationTests().setUp()
        defer { directory.remove() }
        let config = try GatewayConfiguration.load(path: configPath)
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        let journal = try Journal(path: config.journalPath, durability: .process)
        let sealer = BatchSealer(journal: journal.sealing, config: config, library: library, identity: try GatewayIdentity.create(at: key))
        let start: Int64 = 1_796_000_000_000

        // A boot that ended before NTP: 3 readings flagged, then moved to that boot.
        _ = try journal.append(Self.readings(0...2, unsynchronised: true, from: 0))
        let db = try SQLiteConnection(path: config.journalPath)
        try db.execute("INSERT INTO boots (boot_id, first_seen) VALUES ('ended-unsynchronised', 0)")
        try db.execute("UPDATE readings SET boot = (SELECT id FROM boots WHERE boot_id = 'ended-unsynchronised')")
        // This boot: synchronised readings, then 4 before the clock was set here, then 2 after.
        _ = try journal.append(Self.readings(3...5, unsynchronised: false, from: start))
        _ = try journal.append(Self.readings(6...9, unsynchronised: true, from: 0))
        _ = try journal.append(Self.readings(10...11, unsynchronised: false, from: start))

        #expect(try sealer.correctClock(synchronised: false) == 0, "nothing is corrected while the clock is unsynchronised")
        #expect(try sealer.sealDue(now: start + 86_400_000, force: true, currentBoot: boot) == [1])
        #expect(try sealer.sealDue(now: start + 86_400_000, force: true, currentBoot: boot) == [], "this boot's wait for the clock")
        let status = try JournalReader(path: config.journalPath).clockHeldReadings(currentBoot: boot)
        #expect(status == ClockHeldReadings(awaitingSync: 4, neverSynchronised: 3))

        let clock = SynchronisedClock(bootID: boot, wallMinusBoottime: start - MonotonicClock.boottimeMilliseconds())
        #expect(try sealer.correctClock(synchronised: true, clock: clock) == 4)
        #expect(try sealer.sealDue(now: start + 86_400_000, force: true, currentBoot: boot) == [2])

        let reader = try JournalReader(path: config.journalPath)
        let batches = try reader.batches()
        #expect(batches.map(\.readingCount) == [3, 6], "the earlier boot's 3 left out of batch 1; batch 2 waited for the 4")
        let report = try JournalVerifier(reader: reader).verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.readings == 9)
        let sealed = try reader.readings(of: batches[1]).map(\.reading)
        #expect(sealed.filter { $0.quality.contains(.clockCorrected) }.count == 4)
        #expect(sealed.allSatisfy { !$0.quality.contains(.unsynchronisedGatewayClock) && $0.receivedAt > 1_700_000_000_000 })
        #expect(try reader.clockHeldReadings(currentBoot: boot) == ClockHeldReadings(awaitingSync: 0, neverSynchronised: 3))
    }
}
