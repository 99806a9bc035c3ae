import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahStatus

/// The status floor reads a real journal file: what it reports is what the journal holds, from
/// the O(1) counters rather than a scan, and a journal that does not exist yet is an error
/// tried again later, not a cached failure.
@Suite struct HealthReportTests {
    static func batch(_ count: Int, quarantined: Int = 0) -> IngestBatch {
        var batch = IngestBatch()
        batch.readings = (0..<count).map { index in
            Reading(
                sensor: "probe", quantity: "soil_temperature", value: 20 + Double(index), unit: "CEL",
                observedAt: 1_796_000_000_000 + Int64(index), receivedAt: 1_796_000_000_000 + Int64(index), source: "farm/probe")
        }
        batch.quarantine = (0..<quarantined).map { _ in
            QuarantineRecord(source: "farm/probe", payload: Array("{".utf8), reason: "not JSON", receivedAt: 1_796_000_000_000)
        }
        return batch
    }

    @Test func theReportCountsWhatTheJournalHolds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        try journal.append(Self.batch(7, quarantined: 2))
        try journal.append(Self.batch(5))
        let factory = JournalReader.Factory(path: journal.path)
        let report = try factory.withReader { reader in
            try HealthReport.measure(reader: reader, journalPath: journal.path, dataDirectory: directory.path)
        }
        #expect(report.readingsTotal == 12)
        #expect(report.lastSequence == 12)
        #expect(report.quarantinedTotal == 2)
        #expect(report.batchesSealed == 0)
        #expect(report.journalBytes > 0)
        #expect((report.freeDiskBytes ?? 0) > 0, "the filesystem holding the data directory was asked")
    }

    @Test func theRateComesFromThePreviousReport() {
        var previous = HealthReport(
            time: 1_000, readingsTotal: 10, lastSequence: 10, quarantinedTotal: 0, evicted: 0, journalBytes: 4_096,
            freeDiskBytes: 1_000_000, batchesSealed: 0, readingsPerSecond: nil, diskFullInHours: nil)
        var now = previous
        now.time = 11_000
        now.lastSequence = 60
        now.journalBytes = 4_096 + 36_000
        now.rates(since: previous)
        #expect(now.readingsPerSecond == 5)
        #expect(now.diskFullInHours.map { ($0 * 1_000).rounded() } == 77, "1 MB free at 3.6 kB/s: 0.077 h")
        previous.time = 20_000
        var stale = now
        stale.readingsPerSecond = nil
        stale.rates(since: previous)
        #expect(stale.readingsPerSecond == nil, "a previous report from the future gives no rate")
    }

    @Test func aMissingJournalIsAnErrorThatIsTriedAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("journal.sqlite")
        let factory = JournalReader.Factory(path: path)
        #expect(throws: JournalError.self) { try factory.withReader { try $0.counts() } }
        let journal = try Journal(path: path, durability: .process)
        try journal.append(Self.batch(3))
        #expect(try factory.withReader { try $0.counts().readings } == 3)
    }
}
