import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// Season and calibration records are links of the chain that hand nothing on, and claims are
/// stored under their own numbers.
@Suite(.timeLimit(.minutes(1))) struct ChainRecordStoreTests {
    func link(_ number: Int64, _ previous: (id: String, jws: String)?) -> RecordLink {
        RecordLink(certificateID: "urn:sawah:gw:certificate:\(number)", jws: "record-\(number)<-\(previous?.jws ?? "none")", epcis: Array("{}".utf8))
    }

    @Test func aRecordAfterARotationIsLinkedButDoesNotHideTheRotation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        try journal.append(JournalSealingTests.readings(4))
        _ = try journal.appendRotation(createdAt: 2) { number, _ in ("urn:sawah:gw:certificate:\(number)", "rotation-jws") }
        let record = try journal.sealing.appendRecord(kind: "season", subject: "urn:plot:1", eventTime: 7, createdAt: 8, build: link)
        #expect(record == 2)
        var draft: BatchDraft?
        _ = try journal.sealNext(lot: "urn:lot", sensors: ["probe"], maxReadings: 100, dueBefore: .max) { made in
            draft = made
            return JournalSealingTests.sealed(made)
        }
        #expect(draft?.number == 3 && draft?.previous?.jws == "record-2<-rotation-jws", "the batch follows the record")
        #expect(draft?.lastRotation?.number == 1, "the record is not taken for a rotation: the key the rotation named still signs")
        let reader = try JournalReader(path: journal.path)
        let links = try reader.recordLinks(kind: "season", subject: "urn:plot:1")
        #expect(links.map(\.number) == [2] && links[0].epcis == Array("{}".utf8) && links[0].lot.isEmpty && links[0].startTime == 7)
        #expect(try reader.recordLinks(kind: "calibration").isEmpty && reader.recordLinks(kind: "season", subject: "urn:plot:2").isEmpty)
        #expect(try reader.recordLinks(kind: "season").map(\.number) == [2], "neither the rotation nor the batch is a record")
    }

    @Test func claimsAreNumberedAndFoundByNumberOrID() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        for plot in ["urn:plot:1", "urn:plot:2"] {
            _ = try journal.sealing.storeClaim(kind: "awd", subject: plot, createdAt: 5) { number in
                ClaimDraft(claimID: "urn:sawah:gw:claim:\(number)", jws: "jws-\(number)", evidence: [1, 2, UInt8(number)], prefill: number == 2 ? [9] : nil)
            }
        }
        let reader = try JournalReader(path: journal.path)
        let all = try reader.claims()
        #expect(all.map(\.number) == [1, 2] && all.map(\.subject) == ["urn:plot:1", "urn:plot:2"])
        #expect(all[0].prefill == nil && all[1].prefill == [9] && all[1].evidence == [1, 2, 2])
        #expect(try reader.claims(matching: "2").map(\.claimID) == ["urn:sawah:gw:claim:2"])
        #expect(try reader.claims(matching: "urn:sawah:gw:claim:1").map(\.number) == [1])
        #expect(try reader.claims(matching: "3").isEmpty)
    }

    /// A claim whose signing fails leaves nothing behind, and the next one gets the number.
    @Test func aClaimThatFailsToBuildIsNotStored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        struct Refused: Error {}
        #expect(throws: JournalError.self) {
            _ = try journal.sealing.storeClaim(kind: "awd", subject: "p", createdAt: 1) { _ in throw Refused() }
        }
        let number = try journal.sealing.storeClaim(kind: "awd", subject: "p", createdAt: 1) { number in
            ClaimDraft(claimID: "c\(number)", jws: "j", evidence: [], prefill: nil)
        }
        let stored = try JournalReader(path: journal.path).claims()
        #expect(number == 1 && stored.count == 1)
    }

    /// What `sawah claims issue` waits for: unsealed readings observed before the claim's end.
    @Test func unsealedReadingsAreCountedUpToAnObservedTime() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        try journal.append(JournalSealingTests.readings(10))
        let reader = try JournalReader(path: journal.path)
        let fifth: Int64 = 1_796_000_005_000
        #expect(try reader.unsealedCount(lot: "urn:lot", sensors: ["probe"], observedBefore: fifth) == 5)
        _ = try journal.sealNext(lot: "urn:lot", sensors: ["probe"], maxReadings: 4, dueBefore: 0) { JournalSealingTests.sealed($0) }
        #expect(try reader.unsealedCount(lot: "urn:lot", sensors: ["probe"], observedBefore: fifth) == 1, "the fifth reading still waits")
        #expect(try reader.unsealedCount(lot: "urn:lot", sensors: ["probe"]) == 6)
        #expect(try reader.unsealedCount(lot: "urn:lot", sensors: ["other"], observedBefore: fifth) == 0)
    }
}
