import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// The status page's plots come from these queries: buckets that hold exactly what the
/// journal holds in their span, and the newest value per series from a bounded scan.
@Suite struct SeriesSummaryTests {
    static let start: Int64 = 1_796_004_000_000  // on a 30-minute boundary

    /// Two series, one reading per minute for `minutes`, received as observed.
    static func journal(in directory: TemporaryDirectory, minutes: Int) throws -> Journal {
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        var batch = IngestBatch()
        for minute in 0..<minutes {
            let time = start + Int64(minute) * 60_000
            batch.readings.append(
                Reading(
                    sensor: "probe", quantity: "soil_temperature", value: Double(minute % 10), unit: "CEL", observedAt: time, receivedAt: time,
                    source: "farm/probe"))
            batch.readings.append(
                Reading(
                    sensor: "tube", quantity: "water_level", value: -Double(minute), unit: "CMT", observedAt: time, receivedAt: time + 500, source: "farm/tube")
            )
        }
        try journal.append(batch)
        return journal
    }

    @Test func bucketsHoldWhatTheJournalHoldsInTheirSpan() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Self.journal(in: directory, minutes: 180)
        let reader = try JournalReader(path: journal.path)
        // The second and third hours, in 30-minute buckets.
        let from = Self.start + 3_600_000
        let to = Self.start + 3 * 3_600_000 - 1
        let summaries = try reader.seriesSummaries(from: from, to: to, bucketMilliseconds: 1_800_000)
        #expect(summaries.map { "\($0.sensor)/\($0.quantity)/\($0.unit)" } == ["probe/soil_temperature/CEL", "tube/water_level/CMT"])
        let tube = summaries[1].buckets
        #expect(tube.count == 4)
        #expect(tube.map(\.count) == [30, 30, 30, 30])
        #expect(tube.first?.max == -60 && tube.first?.min == -89 && tube.first?.mean == -74.5)
        #expect(tube.last?.min == -179)
        #expect(tube.map(\.start) == (0..<4).map { (from / 1_800_000 + Int64($0)) * 1_800_000 })
        let probe = summaries[0].buckets
        #expect(probe.allSatisfy { $0.min == 0 && $0.max == 9 && $0.mean == 4.5 })
    }

    @Test func aSpanBeforeOrAfterTheReadingsIsEmpty() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Self.journal(in: directory, minutes: 30)
        let reader = try JournalReader(path: journal.path)
        #expect(try reader.seriesSummaries(from: Self.start + 86_400_000, to: Self.start + 2 * 86_400_000, bucketMilliseconds: 60_000).isEmpty)
        #expect(try reader.seriesSummaries(from: 0, to: Self.start - 1, bucketMilliseconds: 60_000).isEmpty)
        #expect(try reader.seriesSummaries(from: 0, to: .max, bucketMilliseconds: 3_600_000).map { $0.buckets.reduce(0) { $0 + $1.count } } == [30, 30])
    }

    @Test func theSearchFindsWhereASpanStarts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Self.journal(in: directory, minutes: 100)
        let reader = try JournalReader(path: journal.path)
        // Seq 2k+1 is the probe at minute k (received at its time), 2k+2 the tube (+500 ms).
        #expect(try reader.firstSeq(receivedAtOrAfter: 0) == 1)
        #expect(try reader.firstSeq(receivedAtOrAfter: Self.start + 10 * 60_000) == 21)
        #expect(try reader.firstSeq(receivedAtOrAfter: Self.start + 10 * 60_000 + 1) == 22)
        #expect(try reader.firstSeq(receivedAtOrAfter: Self.start + 1_000 * 60_000) == 201)
        let empty = try Journal(path: directory.file("empty.sqlite"), durability: .process)
        #expect(try JournalReader(path: empty.path).firstSeq(receivedAtOrAfter: Self.start) == 0)
    }

    @Test func theNewestValuePerSeriesComesFromTheWindow() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Self.journal(in: directory, minutes: 50)
        let reader = try JournalReader(path: journal.path)
        let latest = try reader.latestValues()
        #expect(latest.map(\.sensor) == ["probe", "tube"])
        #expect(latest[0].value == 9 && latest[1].value == -49)
        #expect(latest[1].receivedAt == Self.start + 49 * 60_000 + 500)
        // A window of one reading sees only the newest series.
        #expect(try reader.latestValues(window: 1).map(\.sensor) == ["tube"])
    }
}
