import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahSQLite

/// DESIGN.md invariant 9: a reading stamped by an unsynchronised clock never enters a
/// certificate with that time. This boot's are waited for and corrected once the clock is
/// set; those of a boot that ended unsynchronised are left out for good.
@Suite(.timeLimit(.minutes(1))) struct HonestTimeTests {
    let directory: TemporaryDirectory
    var path: String { directory.file("journal.sqlite") }
    static let start: Int64 = 1_796_000_000_000

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Readings valued `values`, one a second from `start`; `unsynchronised` ones flagged as
    /// ingest flags them while the clock is not set.
    static func batch(_ values: ClosedRange<Int>, unsynchronised: Bool, deviceTime: Int64? = nil) -> IngestBatch {
        var batch = IngestBatch()
        batch.readings = values.map { value in
            let time = start + Int64(value) * 1_000
            var quality: QualityFlags = deviceTime == nil ? .receiveTime : []
            if unsynchronised { quality.insert(.unsynchronisedGatewayClock) }
            return Reading(
                sensor: "probe", quantity: "soil_temperature", value: Double(value), unit: "CEL",
                observedAt: deviceTime ?? time, receivedAt: time, source: "farm/probe", quality: quality)
        }
        return batch
    }

    static func sealed(_ draft: BatchDraft) -> SealedBatch {
        SealedBatch(certificateID: "urn:c:\(draft.number)", jws: "jws-\(draft.number)", epcis: [], rawDigest: "d", createdAt: 1)
    }

    func seal(_ journal: Journal) throws -> BatchDraft? {
        var built: BatchDraft?
        _ = try journal.sealNext(lot: "urn:lot", sensors: ["probe"], maxReadings: 100, dueBefore: .max) { draft in
            built = draft
            return Self.sealed(draft)
        }
        return built
    }

    @Test func sealingWaitsForThisBootsUnsynchronisedReadingsThenSealsThemCorrected() throws {
        let boot = try #require(MonotonicClock.bootID())
        let journal = try Journal(path: path, durability: .process)
        try journal.append(Self.batch(0...2, unsynchronised: false))
        try journal.append(Self.batch(3...4, unsynchronised: true))
        try journal.append(Self.batch(5...6, unsynchronised: false))

        #expect(try seal(journal)?.rows.map(\.reading.value) == [0, 1, 2], "stops before the first reading awaiting the clock")
        #expect(try seal(journal) == nil, "waits: readings after it are not sealed past it")
        let reader = try JournalReader(path: path)
        #expect(try reader.clockHeldReadings(currentBoot: boot) == ClockHeldReadings(awaitingSync: 2, neverSynchronised: 0))

        let offset: Int64 = 1_700_000_000_000
        #expect(try journal.correctClock(SynchronisedClock(bootID: boot, wallMinusBoottime: offset)) == 2)
        #expect(try journal.correctClock(SynchronisedClock(bootID: boot, wallMinusBoottime: offset)) == 0, "corrected once")
        let draft = try #require(try seal(journal))
        #expect(draft.rows.map(\.reading.value) == [3, 4, 5, 6])

        let db = try SQLiteConnection(path: path)
        let rows = try db.prepare("SELECT value, observed_at, received_at, received_boottime, quality FROM readings WHERE value IN (3, 4)")
        var corrected = 0
        while try rows.step() {
            corrected += 1
            #expect(rows.int64(2) == rows.int64(3) + offset, "receive time from the boot clock")
            #expect(rows.int64(1) == rows.int64(2), "the observed time was the receive time")
            #expect(QualityFlags(rawValue: rows.int64(4)) == [.receiveTime, .clockCorrected])
        }
        #expect(corrected == 2)
        #expect(draft.rows[2].reading.receivedAt == Self.start + 5_000, "readings stamped by a synchronised clock are untouched")
        #expect(try reader.clockHeldReadings(currentBoot: boot) == ClockHeldReadings(awaitingSync: 0, neverSynchronised: 0))
    }

    @Test func readingsOfABootThatEndedUnsynchronisedAreLeftOutForGood() throws {
        let boot = try #require(MonotonicClock.bootID())
        let journal = try Journal(path: path, durability: .process)
        try journal.append(Self.batch(0...1, unsynchronised: false))
        try journal.append(Self.batch(2...4, unsynchronised: true))
        try journal.append(Self.batch(5...6, unsynchronised: false))
        try makeEarlierBoot(of: "(quality & 8) != 0")

        let draft = try #require(try seal(journal))
        #expect(draft.rows.map(\.reading.value) == [0, 1, 5, 6])
        let reader = try JournalReader(path: path)
        let batch = try #require(try reader.batches().first)
        #expect(batch.firstSeq == 1 && batch.lastSeq == 7 && batch.readingCount == 4 && batch.excludedQuality == 8)
        #expect(try reader.readings(of: batch).map(\.reading.value) == [0, 1, 5, 6], "rebuilt from the same rows")
        #expect(try journal.correctClock(SynchronisedClock(bootID: boot, wallMinusBoottime: 0)) == 0, "another boot's clock is unknown")
        #expect(try seal(journal) == nil, "the cursor passed them")
        #expect(try reader.clockHeldReadings(currentBoot: boot) == ClockHeldReadings(awaitingSync: 0, neverSynchronised: 3))
    }

    @Test func aBatchSealedBeforeTheRuleKeepsItsFlaggedReadingsAsSealed() throws {
        let boot = try #require(MonotonicClock.bootID())
        let journal = try Journal(path: path, durability: .process)
        try journal.append(Self.batch(0...2, unsynchronised: true))
        // As a build before migration 009 sealed them: flagged readings inside, nothing left out.
        let db = try SQLiteConnection(path: path)
        try db.execute(
            """
            INSERT INTO batches (number, lot, sensors, first_seq, last_seq, reading_count, start_time, end_time,
                                 created_at, certificate_id, jws, epcis, raw_digest)
            VALUES (1, 'urn:lot', 'probe', 1, 3, 3, 0, 0, 0, 'urn:c:1', 'jws-1', X'', 'd');
            INSERT INTO seal_cursors (lot, sealed_through) VALUES ('urn:lot', 3);
            """)
        try journal.append(Self.batch(3...3, unsynchronised: true))

        #expect(try journal.correctClock(SynchronisedClock(bootID: boot, wallMinusBoottime: 5)) == 1, "only the reading no batch holds")
        let reader = try JournalReader(path: path)
        let legacy = try #require(try reader.batches().first)
        #expect(legacy.excludedQuality == 0)
        let rows = try reader.readings(of: legacy)
        #expect(rows.map(\.reading.value) == [0, 1, 2] && rows.allSatisfy { $0.reading.quality.contains(.unsynchronisedGatewayClock) })
        #expect(rows.map(\.reading.receivedAt) == [0, 1, 2].map { Self.start + $0 * 1_000 }, "its sealed times are kept")
    }

    @Test func aDeviceTimeAheadOfTheCorrectedReceiveTimeIsReplacedAndFlagged() throws {
        let boot = try #require(MonotonicClock.bootID())
        let journal = try Journal(path: path, durability: .process)
        // A node's own time, kept at ingest because the gateway could not judge it.
        let deviceTime: Int64 = 1_800_000_000_000
        try journal.append(Self.batch(0...0, unsynchronised: true, deviceTime: deviceTime))
        let db = try SQLiteConnection(path: path)
        let boottime = try #require(try db.scalarInt("SELECT received_boottime FROM readings"))

        // The true clock puts the receipt an hour before the device's time: implausible.
        let ahead = deviceTime - 3_600_000 - boottime
        #expect(try journal.correctClock(SynchronisedClock(bootID: boot, wallMinusBoottime: ahead)) == 1)
        do {
            // Scoped: a statement left stepping would hold its read snapshot for the next query.
            let query = try db.prepare("SELECT observed_at, received_at, quality FROM readings")
            #expect(try query.step())
            #expect(query.int64(0) == deviceTime - 3_600_000 && query.int64(1) == deviceTime - 3_600_000)
            #expect(QualityFlags(rawValue: query.int64(2)) == [.receiveTime, .implausibleDeviceTime, .clockCorrected])
        }

        // A device time within the allowed skew of the corrected receipt is the device's to keep.
        try journal.append(Self.batch(1...1, unsynchronised: true, deviceTime: deviceTime))
        let close = deviceTime - 60_000 - (try #require(try db.scalarInt("SELECT received_boottime FROM readings WHERE seq = 2")))
        #expect(try journal.correctClock(SynchronisedClock(bootID: boot, wallMinusBoottime: close)) == 1)
        let kept = try db.prepare("SELECT observed_at, quality FROM readings WHERE seq = 2")
        #expect(try kept.step())
        #expect(kept.int64(0) == deviceTime && QualityFlags(rawValue: kept.int64(1)) == .clockCorrected)
    }

    @Test func theIndexOfUnsynchronisedReadingsIsWhatTheQueriesUse() throws {
        _ = try Journal(path: path, durability: .process)
        let db = try SQLiteConnection(path: path)
        let plan = try db.prepare(
            "EXPLAIN QUERY PLAN SELECT MIN(r.seq) FROM readings r WHERE r.boot = 1 AND r.seq > 0 AND (r.quality & 8) != 0")
        var details: [String] = []
        while try plan.step() { details.append(plan.text(3)) }
        #expect(details.contains { $0.contains("readings_unsynchronised") }, "\(details)")
    }

    /// Moves the readings matching `condition` to a boot that is not this one.
    func makeEarlierBoot(of condition: String) throws {
        let db = try SQLiteConnection(path: path)
        try db.execute("INSERT INTO boots (boot_id, first_seen) VALUES ('an-earlier-boot', 0)")
        try db.execute("UPDATE readings SET boot = (SELECT id FROM boots WHERE boot_id = 'an-earlier-boot') WHERE \(condition)")
    }
}
