import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// The deliveries table: each platform's queue, its outcomes, dead letters, crash recovery, and
/// the hold it puts on retention.
@Suite struct JournalUplinkTests {
    let directory: TemporaryDirectory
    var path: String { directory.file("journal.sqlite") }

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A journal with `batches` sealed batches of 10 readings each (plus 5 unsealed readings).
    func journal(batches: Int) throws -> Journal {
        let journal = try Journal(path: path, durability: .process)
        var batch = IngestBatch()
        batch.readings = (0..<(batches * 10 + 5)).map { index in
            Reading(
                sensor: "probe", quantity: "soil_temperature", value: Double(index), unit: "CEL",
                observedAt: 1_000_000 + Int64(index), receivedAt: 1_000_000 + Int64(index), source: "farm/probe")
        }
        try journal.append(batch)
        for _ in 0..<batches {
            _ = try journal.sealNext(lot: "urn:lot", sensors: ["probe"], maxReadings: 10, dueBefore: 0) { draft in
                SealedBatch(
                    certificateID: "urn:sawah:gw:certificate:\(draft.number)", jws: "jws-\(draft.number)", epcis: [1], rawDigest: "d", createdAt: 2_000_000)
            }
        }
        return journal
    }

    @Test func eachPlatformHasItsOwnQueueAndOutcomes() throws {
        _ = try journal(batches: 4)
        let ledger = try DeliveryLedger(path: path, durability: .process)
        #expect(try ledger.enqueueDeliveries(platform: "a", now: 1) == 4)
        #expect(try ledger.enqueueDeliveries(platform: "a", now: 2) == 0, "queued once")
        #expect(try ledger.enqueueDeliveries(platform: "b", now: 2) == 4)
        let claimed = try ledger.claimDeliveries(platform: "a", now: 10, limit: 3)
        #expect(claimed.map(\.batch) == [1, 2, 3] && claimed.allSatisfy { $0.attempts == 1 })
        try ledger.recordDelivery(platform: "a", batch: 1, state: .delivered, now: 11)
        try ledger.recordDelivery(platform: "a", batch: 2, state: .pending, error: "HTTP 503", nextAttempt: 100, now: 11)
        try ledger.recordDelivery(platform: "a", batch: 3, state: .dead, error: "HTTP 400: bad event", now: 11)
        // Batch 2 waits for its next attempt; batch 4 is due.
        #expect(try ledger.claimDeliveries(platform: "a", now: 50, limit: 10).map(\.batch) == [4])
        let again = try ledger.claimDeliveries(platform: "a", now: 100, limit: 10)
        #expect(again.map(\.batch) == [2] && again[0].attempts == 2)

        let reader = try JournalReader(path: path)
        let status = try reader.deliveryStatus(platforms: ["a", "b"], now: 20, windowMilliseconds: 100)
        #expect(status[0].delivered == 1 && status[0].inFlight == 2 && status[0].dead == 1 && status[0].pending == 0)
        #expect(status[0].lastError == "HTTP 400: bad event" && status[0].lastErrorBatch == 3, "a dead letter's answer is shown first")
        #expect(status[1].pending == 4 && status[1].delivered == 0, "platform b is untouched by a's troubles")
        #expect(status[0].recentBatches == 1 && status[0].undeliveredReadings == 20)
        #expect(status[0].backlog == 2 && status[0].secondsToDrain() == 2, "two to go at one a second (the shortest span counted)")
        #expect(status[1].secondsToDrain() == nil, "no rate yet, no promise")
        #expect(try reader.deliveries(platform: "a", state: .dead).map(\.batch) == [3])
    }

    @Test func aRestartRequeuesInterruptedAttemptsAndAnOperatorRequeuesDeadOnes() throws {
        _ = try journal(batches: 3)
        let ledger = try DeliveryLedger(path: path, durability: .process)
        try ledger.enqueueDeliveries(platform: "a", now: 1)
        _ = try ledger.claimDeliveries(platform: "a", now: 5, limit: 2)
        try ledger.recordDelivery(platform: "a", batch: 3, state: .dead, error: "HTTP 422", now: 6)
        #expect(try ledger.recoverInFlight(platform: "a", now: 7) == 2)
        #expect(try ledger.claimDeliveries(platform: "a", now: 8, limit: 5).map(\.batch) == [1, 2])
        #expect(try ledger.requeueDeliveries(platform: "b", batch: nil, now: 9) == 0, "another platform's dead letters only")
        #expect(try ledger.requeueDeliveries(platform: nil, batch: 3, now: 9) == 1)
        let requeued = try ledger.claimDeliveries(platform: "a", now: 10, limit: 5)
        #expect(requeued.map(\.batch) == [3] && requeued[0].attempts == 1, "attempts start again")
    }

    @Test func retentionKeepsReadingsNotYetSealedOrDeliveredEverywhere() throws {
        let journal = try journal(batches: 4)
        let ledger = try DeliveryLedger(path: path, durability: .process)
        try ledger.enqueueDeliveries(platform: "a", now: 1)
        try ledger.enqueueDeliveries(platform: "b", now: 1)
        for number: Int64 in 1...2 { try ledger.recordDelivery(platform: "a", batch: number, state: .delivered, now: 2) }
        try ledger.recordDelivery(platform: "b", batch: 1, state: .delivered, now: 2)
        // Batch 2 (seq 11…20) is not at platform b yet: everything from seq 11 is held.
        let lots = [(id: "urn:lot", sensors: ["probe"])]
        #expect(try journal.uplinkHoldFrom(lots: lots, platforms: ["a", "b"]) == 11)
        #expect(try journal.uplinkHoldFrom(lots: lots, platforms: []) == 41, "without platforms only the 5 unsealed readings are held")
        #expect(try journal.uplinkHoldFrom(lots: [], platforms: []) == nil)

        // The size limit may take only what every platform has.
        var policy = RetentionPolicy(maxBytes: 1)
        policy.holdFrom = try journal.uplinkHoldFrom(lots: lots, platforms: ["a", "b"])
        var report = try journal.enforce(policy) { nil }
        #expect(report.bySize == 10)
        let reader = try JournalReader(path: path)
        #expect(try reader.readings(afterSeq: 0, limit: 1).first?.seq == 11)
        #expect(try reader.counters()["evicted_before_delivery"] == nil)

        // Age still removes old readings, and counts the undelivered ones it took.
        policy = RetentionPolicy(cutoff: 1_000_025)
        policy.holdFrom = 11
        report = try journal.enforce(policy) { nil }
        #expect(report.byAge == 15)
        #expect(try reader.counters()["evicted_before_delivery"] == 15)
    }
}

@Suite struct JournalLinkQualityTests {
    @Test func linkQualityIsStoredBesideLoRaWANReadingsOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        var batch = IngestBatch()
        batch.readings = [
            Reading(
                sensor: "lse01", quantity: "soil_moisture", value: 34.56, unit: "P1", observedAt: 1, receivedAt: 2, source: "lora",
                link: LinkQuality(rssi: -97, snr: 6.5)),
            Reading(sensor: "probe", quantity: "soil_temperature", value: 21, unit: "CEL", observedAt: 1, receivedAt: 2, source: "wifi"),
            Reading(
                sensor: "lht65", quantity: "air_temperature", value: 24.5, unit: "CEL", observedAt: 1, receivedAt: 2, source: "lora",
                link: LinkQuality(rssi: -120, snr: nil))
        ]
        try journal.append(batch)
        let rows = try JournalReader(path: directory.file("journal.sqlite")).readings(afterSeq: 0, limit: 10)
        #expect(rows.map(\.reading.link) == [LinkQuality(rssi: -97, snr: 6.5), nil, LinkQuality(rssi: -120, snr: nil)])
        #expect(try journal.maintain("count") { try $0.db.scalarInt("SELECT COUNT(*) FROM link_quality") } == 2)
    }

    /// Retention removes a reading's link quality with it, and the stored-row counters that
    /// health reads instead of COUNT(*) follow every insert and eviction.
    @Test func retentionTakesLinkQualityAlongAndTheRowCountersStayExact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("journal.sqlite")
        let journal = try Journal(path: path, durability: .process)
        for round in 0..<4 {
            var batch = IngestBatch()
            for index in 0..<50 {
                let time = Int64(round * 50 + index) * 1_000
                batch.readings.append(
                    Reading(
                        sensor: "lse01", quantity: "soil_moisture", value: 30, unit: "P1", observedAt: time, receivedAt: time,
                        source: "lora", link: index % 2 == 0 ? LinkQuality(rssi: -90, snr: 7) : nil))
            }
            batch.quarantine = [QuarantineRecord(source: "junk", payload: Array("x\(round)".utf8), reason: "test", receivedAt: Int64(round) * 50_000)]
            try journal.append(batch)
        }
        let sql = { (query: String) throws -> Int64 in try journal.maintain("count") { try $0.db.scalarInt(query) ?? -1 } }
        let reader = try JournalReader(path: path)
        #expect(try reader.counts() == (200, 4))
        var policy = RetentionPolicy(cutoff: 120_000)
        policy.maxQuarantineRows = 1
        let report = try journal.enforce(policy) { nil }
        #expect(report.byAge == 120 && report.quarantine == 3)
        #expect(try sql("SELECT COUNT(*) FROM link_quality WHERE seq NOT IN (SELECT seq FROM readings)") == 0, "no orphaned link quality")
        #expect(try sql("SELECT COUNT(*) FROM link_quality") == 40)
        let counted = try reader.counts()
        #expect(counted.readings == (try sql("SELECT COUNT(*) FROM readings")) && counted.readings == 80)
        #expect(counted.quarantine == (try sql("SELECT COUNT(*) FROM quarantine")) && counted.quarantine == 1)
    }
}

@Suite struct JournalCounterTests {
    @Test func checkpointsSetAndIncrementsAddInTheBatchsTransaction() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        for total: Int64 in [30, 50] {
            var batch = IngestBatch()
            batch.checkpoints["gpio_pulses:rain"] = total
            batch.increments["sysfs_read_errors:soil"] = 1
            try journal.append(batch)
        }
        #expect(try journal.counter("gpio_pulses:rain") == 50, "a checkpoint replaces")
        #expect(try journal.counter("sysfs_read_errors:soil") == 2, "an increment adds")
        #expect(try journal.counter("never") == nil)
    }
}
