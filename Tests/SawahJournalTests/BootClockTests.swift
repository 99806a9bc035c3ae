import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahSQLite

/// Every reading keeps its receive instant on the clock that never jumps (migration 008): the
/// boot it arrived in and CLOCK_BOOTTIME then, so that a time received before NTP set the
/// clock can be given its true value later in the same boot.
@Suite struct BootClockTests {
    let directory: TemporaryDirectory
    var path: String { directory.file("journal.sqlite") }

    init() throws {
        directory = try TemporaryDirectory()
    }

    static func reading(receivedAt: Int64) -> Reading {
        Reading(sensor: "s", quantity: "q", value: 1, unit: "CEL", observedAt: receivedAt, receivedAt: receivedAt, source: "t")
    }

    @Test func eachReadingCarriesThisBootAndItsBoottime() throws {
        let journal = try Journal(path: path, durability: .process)
        let before = MonotonicClock.boottimeMilliseconds()
        var batch = IngestBatch()
        let now = Clock.nowMilliseconds()
        // Received now, and (as a GPIO report might be) two seconds ago.
        batch.readings = [Self.reading(receivedAt: now), Self.reading(receivedAt: now - 2_000)]
        try journal.append(batch)
        let after = MonotonicClock.boottimeMilliseconds()

        let db = try SQLiteConnection(path: path)
        let boot = try #require(MonotonicClock.bootID())
        #expect(try db.scalarText("SELECT boot_id FROM boots") == boot)
        let rows = try db.prepare("SELECT r.received_boottime, b.boot_id FROM readings r JOIN boots b ON b.id = r.boot ORDER BY r.seq")
        var times: [Int64] = []
        while try rows.step() {
            #expect(rows.text(1) == boot)
            times.append(rows.int64(0))
        }
        try #require(times.count == 2)
        #expect(times[0] >= before - 50 && times[0] <= after)
        #expect(abs((times[0] - times[1]) - 2_000) <= 50, "two seconds apart on the boot clock too: \(times)")
    }

    @Test func reopeningInTheSameBootAddsNoSecondBoot() throws {
        _ = try Journal(path: path, durability: .process)
        _ = try Journal(path: path, durability: .process)
        #expect(try SQLiteConnection(path: path).scalarInt("SELECT COUNT(*) FROM boots") == 1)
    }

    @Test func aJournalFromBeforeTheStepKeepsItsReadingsWithoutABoot() throws {
        do {
            let db = try SQLiteConnection(path: path)
            try JournalMigrations.migrate(db, limit: 7)
            try db.execute("INSERT INTO series (sensor, quantity, unit, source) VALUES ('s', 'q', 'CEL', 't')")
            try db.execute("INSERT INTO readings (series, value, observed_at, received_at, quality) VALUES (1, 2, 1000, 1000, 0)")
        }
        _ = try Journal(path: path, durability: .process)
        let db = try SQLiteConnection(path: path)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM readings WHERE boot IS NULL AND received_boottime IS NULL") == 1)
        #expect(try JournalReader(path: path).readings(afterSeq: 0, limit: 10).map(\.reading.value) == [2])
    }
}
