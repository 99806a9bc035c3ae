import Foundation
import Logging
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahUplink

/// A delivery loop that cannot run ends the service with an error: sawah-uplink exits and
/// systemd restarts it, instead of staying READY while a platform is served by nobody.
@Suite struct UplinkServiceFailureTests {
    @Test func aLoopThatCannotReadTheJournalEndsTheServiceWithTheReason() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("journal.sqlite")
        _ = try Journal(path: path, durability: .process)
        let ledger = try DeliveryLedger(path: path, durability: .process)
        // The journal's path no longer leads to a database the loops can open.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        // Profiles that remove nothing: no gateway key is needed for copies.
        let platforms = [
            PlatformConfiguration(id: "epcis", kind: .epcis, url: "http://127.0.0.1:9/capture"),
            PlatformConfiguration(id: "credentials", kind: .credentials, url: "http://127.0.0.1:9/credentials")
        ].map { platform in
            var open = platform
            open.disclosure.location = .exact
            return open
        }
        let service = UplinkService(ledger: ledger, platforms: platforms, identityKeyFile: nil, dataDirectory: directory.path, logger: Logger(label: "test"))
        await #expect {
            try await service.run()
        } throws: { error in
            let failure = error as? UplinkLoopError
            return failure?.description.contains("cannot read the journal") == true && ["epcis", "credentials"].contains(failure?.platform)
        }
    }
}
