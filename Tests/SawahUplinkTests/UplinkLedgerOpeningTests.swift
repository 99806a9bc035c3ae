import Foundation
import Logging
import SawahSQLite
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahUplink

/// sawah-uplink may start before sawahd has made or migrated the journal (the units start in
/// either order, and after an upgrade the uplink's binary knows steps the file lacks): it waits,
/// changing nothing, and delivers once sawahd has done its part; a journal from a newer Sawah
/// ends it with the reason.
@Suite struct UplinkLedgerOpeningTests {
    static func daemon(in directory: TemporaryDirectory) throws -> UplinkDaemon {
        let text = "[gateway]\nid = \"gw-ledger\"\ndata_dir = \"\(directory.path)\"\n"
        return UplinkDaemon(config: try GatewayConfiguration.parse(text: text, file: directory.file("sawah.toml")))
    }

    @Test func itWaitsForSawahdToMigrateAndLeavesTheSchemaAlone() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try Self.daemon(in: directory)
        do {
            let db = try SQLiteConnection(path: daemon.config.journalPath)
            try JournalMigrations.migrate(db, limit: 2)
        }
        let signals = ShutdownSignals([SIGUSR2])
        let opening = Task { try await daemon.openLedger(signals: signals, logger: Logger(label: "test")) }
        try await Task.sleep(for: .seconds(3))
        #expect(try JournalReader(path: daemon.config.journalPath).appliedMigrations().count == 2, "the uplink migrated nothing while it waited")
        _ = try Journal(path: daemon.config.journalPath, durability: .process)
        let ledger = try #require(try await opening.value, "once sawahd has migrated, the ledger opens")
        #expect(try ledger.enqueueDeliveries(platform: "p", now: 1) == 0)
    }

    @Test func aJournalFromANewerSawahEndsItWithTheReason() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try Self.daemon(in: directory)
        _ = try Journal(path: daemon.config.journalPath, durability: .process)
        do {
            let db = try SQLiteConnection(path: daemon.config.journalPath)
            try db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('999-next', 1)")
        }
        await #expect {
            _ = try await daemon.openLedger(signals: ShutdownSignals([SIGUSR2]), logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("999-next") && "\(error)".contains("newer version")
        }
    }
}
