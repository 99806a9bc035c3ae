import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahSQLite

@Suite struct JournalTests {
    let directory: TemporaryDirectory
    var path: String { directory.file("journal.sqlite") }

    init() throws {
        directory = try TemporaryDirectory()
    }

    func reading(_ value: Double, sensor: String = "s1", at time: Int64 = 1_764_403_200_000) -> Reading {
        Reading(
            sensor: sensor, quantity: "soil_temperature", value: value, unit: "CEL",
            observedAt: time, receivedAt: time, source: "farm/\(sensor)", quality: .receiveTime)
    }

    @Test func appendedReadingsComeBackWithIncreasingSequenceNumbers() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = [reading(1.5), reading(-2.25, sensor: "s2"), reading(0)]
        let range = try journal.append(batch)
        #expect(range == 1...3)
        let rows = try JournalReader(path: path).readings(afterSeq: 0, limit: 10)
        #expect(rows.map(\.seq) == [1, 2, 3])
        #expect(rows.map(\.reading) == batch.readings)
        #expect(try journal.append(IngestBatch()) == nil)
    }

    @Test(arguments: [GatewayConfiguration.Durability.process, .power])
    func durabilitySettingIsAppliedAndChecked(durability: GatewayConfiguration.Durability) throws {
        let journal = try Journal(path: path, durability: durability)
        #expect(try journal.synchronousLevel() == (durability == .power ? 2 : 1))
        let db = try SQLiteConnection(path: path)
        #expect(try db.scalarText("PRAGMA journal_mode") == "wal")
    }

    @Test func quarantineKeepsTheRawBytesAndTheReason() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.quarantine = [QuarantineRecord(source: "farm/x", payload: [0xC3, 0x28], reason: "not UTF-8", receivedAt: 5)]
        try journal.append(batch)
        let reader = try JournalReader(path: path)
        let entries = try reader.quarantine(limit: 10)
        #expect(entries.map(\.record) == batch.quarantine)
        #expect(try reader.counters()["quarantined_total"] == 1)
    }

    @Test func redeliveriesAreRecognisedAcrossReopening() throws {
        let entry = InboxEntry(client: "sawah-gw", mid: 7, digest: InboxEntry.digest(topic: "t", payload: [1, 2]))
        do {
            let journal = try Journal(path: path, durability: .process)
            #expect(!journal.isRedelivery(entry))
            var batch = IngestBatch()
            batch.readings = [reading(1)]
            batch.inbox = [entry]
            try journal.append(batch)
            #expect(journal.isRedelivery(entry))
            // Same packet id, different content: a new message, not a redelivery.
            #expect(!journal.isRedelivery(InboxEntry(client: "sawah-gw", mid: 7, digest: entry.digest &+ 1)))
        }
        let reopened = try Journal(path: path, durability: .process)
        #expect(reopened.isRedelivery(entry))
        try reopened.forgetSession(client: "sawah-gw")
        #expect(!reopened.isRedelivery(entry))
    }

    @Test func theInboxWindowForgetsOldPacketIds() {
        var inbox = MessageInbox(window: 3)
        inbox.record(mid: 1, digest: 10)
        #expect(inbox.isRedelivery(mid: 1, digest: 10))
        inbox.record(mid: 2, digest: 20)
        inbox.record(mid: 3, digest: 30)
        inbox.record(mid: 4, digest: 40)
        #expect(!inbox.isRedelivery(mid: 1, digest: 10))
        #expect(inbox.isRedelivery(mid: 4, digest: 40))
    }

    @Test func aFailedAppendLeavesNothingBehind() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = [reading(1)]
        batch.inbox = [InboxEntry(client: "c", mid: 1, digest: 1)]
        let blocker = try SQLiteConnection(path: path)
        blocker.setBusyTimeout(milliseconds: 0)
        try blocker.execute("BEGIN IMMEDIATE")
        // While another writer holds the lock the append fails after its busy timeout…
        try journal.maintain("shorten timeout") { $0.db.setBusyTimeout(milliseconds: 50) }
        #expect(throws: JournalError.self) { try journal.append(batch) }
        try blocker.execute("ROLLBACK")
        // …and neither the reading nor the inbox entry is half there.
        #expect(!journal.isRedelivery(batch.inbox[0]))
        #expect(try JournalReader(path: path).counts().readings == 0)
        try journal.append(batch)
        #expect(try JournalReader(path: path).counts().readings == 1)
    }

    @Test func anOlderJournalIsMigratedOnOpenWithItsDataKept() throws {
        do {
            let db = try SQLiteConnection(path: path)
            try JournalMigrations.migrate(db, limit: 1)
            try db.execute(
                """
                INSERT INTO series (id, sensor, quantity, unit, source) VALUES (1, 'old', 'soil_temperature', 'CEL', 'farm/old');
                INSERT INTO readings (series, value, observed_at, received_at, quality) VALUES (1, 12.5, 1000, 1000, 1);
                """)
        }
        let journal = try Journal(path: path, durability: .process)
        let reader = try JournalReader(path: path)
        #expect(try reader.appliedMigrations() == JournalMigrations.all.map(\.name))
        #expect(try reader.readings(afterSeq: 0, limit: 5).map(\.reading.value) == [12.5])
        var batch = IngestBatch()
        batch.readings = [reading(3)]
        batch.inbox = [InboxEntry(client: "c", mid: 1, digest: 1)]
        #expect(try journal.append(batch) == 2...2)
        // The stored-row counter starts from the rows the old journal held.
        #expect(try reader.counts().readings == 2)
    }

    @Test func aJournalFromANewerSawahIsRefusedWithAClearMessage() throws {
        do {
            _ = try Journal(path: path, durability: .process)
            let db = try SQLiteConnection(path: path)
            try db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('999-from-the-future', 0)")
        }
        #expect {
            _ = try Journal(path: path, durability: .process)
        } throws: { error in
            "\(error)".contains("999-from-the-future") && "\(error)".contains("newer version")
        }
    }

    @Test func retentionPrunesOldestFirstByAgeAndCountsIt() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = (0..<100).map { reading(Double($0), at: 1_000_000 + Int64($0)) }
        try journal.append(batch)
        var policy = RetentionPolicy(cutoff: 1_000_060)
        policy.chunk = 7
        let report = try journal.enforce(policy) { nil }
        #expect(report.byAge == 60)
        let reader = try JournalReader(path: path)
        #expect(try reader.readings(afterSeq: 0, limit: 1).first?.reading.value == 60)
        #expect(try reader.counters()["evicted_by_age"] == 60)
    }

    @Test func retentionKeepsTheJournalUnderItsSizeLimit() throws {
        let journal = try Journal(path: path, durability: .process)
        for round in 0..<20 {
            var batch = IngestBatch()
            batch.readings = (0..<2_000).map { reading(Double(round * 2_000 + $0), sensor: "s\($0 % 50)") }
            try journal.append(batch)
        }
        let before = try journal.maintain("size") { try $0.usedBytes() }
        var policy = RetentionPolicy(maxBytes: before / 2)
        policy.chunk = 1_000
        let report = try journal.enforce(policy) { nil }
        #expect(report.bySize > 0)
        #expect(try journal.maintain("size") { try $0.usedBytes() } <= before / 2)
        let reader = try JournalReader(path: path)
        // The newest reading survives; the oldest went first.
        #expect(try reader.latestReadings(limit: 1).first?.reading.value == 39_999)
        #expect(try reader.readings(afterSeq: 0, limit: 1).first?.seq == report.bySize + 1)
        #expect(try reader.counters()["evicted_by_size"] == report.bySize)
    }

    @Test func diskPressureEvictsUntilEnoughIsFree() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = (0..<10_000).map { reading(Double($0)) }
        try journal.append(batch)
        // A pretend disk whose free space grows as the journal shrinks.
        let reader = try JournalReader(path: path)
        let report = try journal.enforce(RetentionPolicy(minFreeDiskBytes: 1)) {
            ((try? reader.counts().readings) ?? 0) > 4_000 ? 0 : 10
        }
        #expect(report.byDiskPressure >= 6_000)
        #expect(try reader.counts().readings <= 4_000)
        #expect(try reader.counters()["evicted_by_disk_pressure"] == report.byDiskPressure)
        let db = try SQLiteConnection(path: path)
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
    }

    @Test func quarantineJunkIsCappedByBytesAndNeverEvictsAReading() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = (0..<2_000).map { reading(Double($0)) }
        try journal.append(batch)
        // 300 junk payloads of 16 KiB: 4.8 MB of quarantine beside 2,000 small readings.
        for round in 0..<3 {
            var junk = IngestBatch()
            junk.quarantine = (0..<100).map {
                QuarantineRecord(
                    source: "farm/junk", payload: Array(repeating: UInt8(65 + round), count: 16_384),
                    reason: "unknown topic", receivedAt: Int64(round * 100 + $0))
            }
            try journal.append(junk)
        }
        let reader = try JournalReader(path: path)
        // The byte cap alone: 1 MiB keeps the newest 64 payloads.
        var capped = RetentionPolicy()
        capped.maxQuarantineBytes = 1_048_576
        #expect(try journal.enforce(capped) { nil }.quarantine == 236)
        #expect(try reader.counts().quarantine == 64)
        #expect(try reader.quarantine(limit: 1).first?.record.receivedAt == 299, "the newest stay")
        // Space pressure: the quarantine goes, all of it, before any reading.
        let used = try journal.maintain("size") { try $0.usedBytes() }
        var tight = RetentionPolicy(maxBytes: used - 200_000)
        tight.chunk = 16
        let report = try journal.enforce(tight) { nil }
        #expect(report.quarantineForSpace > 0 && report.bySize == 0, "\(report)")
        #expect(try reader.counts().readings == 2_000, "not one reading evicted for junk")
        #expect(try reader.counters()["evicted_quarantine_for_space"] == report.quarantineForSpace)
    }

    @Test func sequenceNumbersAreNeverReusedAfterEverythingIsPruned() throws {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = [reading(1), reading(2)]
        try journal.append(batch)
        _ = try journal.enforce(RetentionPolicy(cutoff: Int64.max)) { nil }
        #expect(try journal.append(batch) == 3...4)
    }
}
