import Foundation
import SawahSQLite
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahStatus
@testable import SawahTraceability

/// One reconstruction of a sealed batch's bundle for the verifier, the uplink and the export:
/// intact, pruned by retention, or changed after sealing, each named the same way everywhere.
@Suite struct BundleReconstructionTests {
    let directory: TemporaryDirectory
    let journal: Journal
    var path: String { journal.path }

    /// Two batches of five readings, signed by a real issuer (`SignedJournal`).
    init() throws {
        directory = try TemporaryDirectory()
        journal = try SignedJournal.make(path: directory.file("journal.sqlite"), batches: 2)
    }

    func sql(_ statement: String) throws {
        let db = try SQLiteConnection(path: path)
        try db.execute(statement)
    }

    @Test func anIntactBatchIsRebuiltByteForByte() throws {
        let reader = try JournalReader(path: path)
        let batches = try reader.batches()
        #expect(batches.count == 2)
        for stored in batches {
            let bundle = try reader.bundle(of: stored).get()
            #expect(bundle.number == stored.number && bundle.jws == stored.jws && bundle.epcis == stored.epcis)
            #expect(DigestSRI.sha256(bundle.rawSeries) == stored.rawDigest)
            #expect(try RawSeries.parse(bundle.rawSeries).get().count == 5)
        }
    }

    @Test func aPrunedBatchIsNamedWithWhatIsLeft() throws {
        try sql("DELETE FROM readings WHERE seq IN (2, 3)")
        let reader = try JournalReader(path: path)
        let first = try #require(try reader.batches().first)
        guard case .failure(let problem) = try reader.bundle(of: first), case .readingsPruned(1, 5, 3, let rebuilt) = problem else {
            Issue.record("batch 1 lost two readings")
            return
        }
        #expect(problem.check == "readings")
        #expect(problem.description == "batch 1: retention removed 2 of the 5 readings it sealed; its raw series cannot be rebuilt")
        #expect(try RawSeries.parse(rebuilt.rawSeries).get().count == 3, "what is left comes with it")
        #expect(try reader.bundle(of: reader.batches()[1]).get().number == 2, "the other batch is untouched")
    }

    @Test func aChangedReadingIsNamedAndTheVerifierNamesItOnce() throws {
        try sql("UPDATE readings SET value = 99 WHERE seq = 7")
        let reader = try JournalReader(path: path)
        let second = try reader.batches()[1]
        guard case .failure(let problem) = try reader.bundle(of: second), case .readingsChanged(2, _) = problem else {
            Issue.record("batch 2 had a reading changed")
            return
        }
        #expect(problem.description.contains("changed since sealing"))
        let report = try JournalVerifier(reader: reader).verify()
        #expect(report.readings == 10)
        #expect(!report.failures.contains { $0.batch == 1 }, "batch 1 is intact: \(report.failures)")
        #expect(report.failures.filter { $0.batch == 2 && $0.check == "raw series digest" }.count == 1, "\(report.failures)")
        #expect(!report.failures.contains { $0.check == "readings" }, "nothing was pruned: \(report.failures)")
    }
}
