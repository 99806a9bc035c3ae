import SawahJournal
import SawahStatus
import SawahSystem
import Synchronization

/// Counters updated by the ingest thread and read by anyone.
public final class IngestStats: Sendable {
    private let readings = Atomic<Int64>(0)
    private let quarantined = Atomic<Int64>(0)
    private let duplicates = Atomic<Int64>(0)
    private let commits = Atomic<Int64>(0)

    func add(_ batch: IngestBatch) {
        readings.add(Int64(batch.readings.count), ordering: .relaxed)
        quarantined.add(Int64(batch.quarantine.count), ordering: .relaxed)
        duplicates.add(Int64(batch.duplicates), ordering: .relaxed)
        commits.add(1, ordering: .relaxed)
    }

    public var snapshot: (readings: Int64, quarantined: Int64, duplicates: Int64, commits: Int64) {
        (
            readings.load(ordering: .relaxed), quarantined.load(ordering: .relaxed),
            duplicates.load(ordering: .relaxed), commits.load(ordering: .relaxed)
        )
    }
}
