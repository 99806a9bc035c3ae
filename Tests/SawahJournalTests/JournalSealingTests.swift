import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// A batch is built and signed outside the writer's lock, from a snapshot, and committed only
/// if the journal still is as the snapshot saw it.
@Suite(.timeLimit(.minutes(1))) struct JournalSealingTests {
    static func readings(_ count: Int, from start: Int64 = 1_796_000_000_000) -> IngestBatch {
        var batch = IngestBatch()
        batch.readings = (0..<count).map { index in
            Reading(
                sensor: "probe", quantity: "soil_temperature", value: 20 + Double(index), unit: "CEL",
                observedAt: start + Int64(index) * 1_000, receivedAt: start + Int64(index) * 1_000, source: "farm/probe")
        }
        return batch
    }

    static func sealed(_ draft: BatchDraft) -> SealedBatch {
        SealedBatch(certificateID: "urn:sawah:gw:certificate:\(draft.number)", jws: "jws-\(draft.number)", epcis: [], rawDigest: "d", createdAt: 1)
    }

    @Test func ingestAndTheChainMayMoveWhileABatchIsBuiltAndAStaleDraftIsBuiltAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        try journal.append(Self.readings(10))
        var drafts: [BatchDraft] = []
        let number = try journal.sealNext(lot: "urn:lot", sensors: ["probe"], maxReadings: 100, dueBefore: .max) { draft in
            drafts.append(draft)
            if drafts.count == 1 {
                // While the first draft is built, ingest goes on (the writer is free: before,
                // this deadlocked on the journal's mutex) and the chain gains a rotation link.
                try journal.append(Self.readings(5, from: 1_796_000_100_000))
                _ = try journal.appendRotation(createdAt: 2) { number, _ in ("urn:sawah:gw:certificate:\(number)", "rotation-jws") }
            }
            return Self.sealed(draft)
        }
        #expect(drafts.count == 2, "the stale draft was built again")
        #expect(drafts[0].number == 1 && drafts[0].lastRotation == nil)
        #expect(drafts[1].number == 2 && drafts[1].lastRotation?.number == 1 && drafts[1].previous?.jws == "rotation-jws")
        #expect(drafts[1].rows.count == 15, "the second draft sees the readings ingested meanwhile")
        #expect(number == 2)
        let batches = try JournalReader(path: journal.path).batches()
        #expect(batches.map(\.number) == [1, 2] && batches[1].readingCount == 15 && batches[1].jws == "jws-2")
    }

    @Test func aBatchWhoseReadingsRetentionRemovedMeanwhileIsNotStored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        try journal.append(Self.readings(10))
        var builds = 0
        let number = try journal.sealNext(lot: "urn:lot", sensors: ["probe"], maxReadings: 100, dueBefore: .max) { draft in
            builds += 1
            if builds == 1 { _ = try journal.enforce(RetentionPolicy(cutoff: 1_796_000_003_500)) { nil } }
            return Self.sealed(draft)
        }
        #expect(builds == 2 && number == 1)
        let batches = try JournalReader(path: journal.path).batches()
        #expect(batches.count == 1 && batches[0].readingCount == 6 && batches[0].firstSeq == 5, "only the readings still there")
    }
}
