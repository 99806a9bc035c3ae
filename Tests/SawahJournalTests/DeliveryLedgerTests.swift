import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahSQLite

/// The ledger is what sawah-uplink and the CLI open: it must never create, migrate or
/// otherwise change a journal's schema, which is sawahd's alone.
@Suite struct DeliveryLedgerTests {
    let directory: TemporaryDirectory
    var path: String { directory.file("journal.sqlite") }

    init() throws {
        directory = try TemporaryDirectory()
    }

    func appliedSteps() throws -> [String] {
        try JournalReader(path: path).appliedMigrations()
    }

    @Test func aMissingJournalIsAnErrorNotAnEmptyFile() {
        #expect(throws: JournalError.self) { try DeliveryLedger(path: path, durability: .power) }
        #expect(!FileManager.default.fileExists(atPath: path), "the ledger made no file")
    }

    @Test func aJournalBehindThisBuildIsLeftAsItIsForSawahdToMigrate() throws {
        do {
            let db = try SQLiteConnection(path: path)
            try JournalMigrations.migrate(db, limit: 3)
        }
        let before = try appliedSteps()
        do {
            _ = try DeliveryLedger(path: path, durability: .power)
            Issue.record("a ledger opened a journal sawahd has not migrated")
        } catch .olderSchema(_, let missing) {
            #expect(missing == Array(JournalMigrations.all.dropFirst(3).map(\.name)))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(try appliedSteps() == before, "nothing migrated")
        _ = try Journal(path: path, durability: .process)
        let ledger = try DeliveryLedger(path: path, durability: .power)
        #expect(try ledger.enqueueDeliveries(platform: "a", now: 1) == 0, "after sawahd has opened it, the ledger works")
    }

    @Test func aJournalFromANewerSawahIsRefused() throws {
        _ = try Journal(path: path, durability: .process)
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('999-from-the-future', 1)")
        }
        #expect {
            try DeliveryLedger(path: path, durability: .process)
        } throws: { error in
            guard case JournalError.newerSchema(_, let steps) = error else { return false }
            return steps == ["999-from-the-future"]
        }
    }

    @Test func itsDurabilityIsAppliedOnItsOwnConnection() throws {
        _ = try Journal(path: path, durability: .process)
        for durability in [GatewayConfiguration.Durability.power, .process] {
            let ledger = try DeliveryLedger(path: path, durability: durability)
            #expect(try ledger.write("read PRAGMA synchronous") { try $0.scalarInt("PRAGMA synchronous") } == (durability == .power ? 2 : 1))
        }
    }
}
