import Foundation
import Logging
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahUplink

/// The delivery loop against a scripted platform (`PlatformClient`): what it records in the
/// ledger for each answer, how it retries, and what it never sends.
@Suite struct PlatformUploaderTests {
    /// Answers each batch from a script, one answer per attempt (the last one repeats), and
    /// remembers what it was sent.
    final class ScriptedPlatform: PlatformClient {
        let script: [Int64: [DeliveryOutcome]]
        let sent = LockedValue<[Int64]>([])

        init(_ script: [Int64: [DeliveryOutcome]]) {
            self.script = script
        }

        func deliver(_ work: DeliveryWork) async -> [Int64: DeliveryOutcome] {
            let batches: [Int64] =
                switch work {
                case .bundle(let bundle): [bundle.number]
                case .capture(let items): items.map(\.batch)
                case .claim(let number, _): [number]
                }
            var outcomes: [Int64: DeliveryOutcome] = [:]
            for batch in batches {
                let attempt = sent.withLock { sent in
                    sent.append(batch)
                    return sent.filter { $0 == batch }.count
                }
                let answers = script[batch] ?? [.delivered(note: nil)]
                outcomes[batch] = answers[min(attempt, answers.count) - 1]
            }
            return outcomes
        }
    }

    /// Runs an uploader until every batch is delivered or dead, then stops it.
    func deliver(kind: PlatformConfiguration.Kind, batches: Int, platform client: ScriptedPlatform) async throws -> [DeliveryRecord] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("journal.sqlite")
        _ = try SignedJournal.make(path: path, batches: batches)
        var platform = PlatformConfiguration(id: "scripted", kind: kind, url: "http://127.0.0.1:9/")
        platform.retryInitialSeconds = 0.05
        platform.retryMaxSeconds = 0.1
        platform.disclosure.location = .exact
        let uploader = PlatformUploader(
            platform: platform, ledger: try DeliveryLedger(path: path, durability: .process), client: client,
            disclosure: try PlatformDisclosure(platform: platform, identity: nil, gatewaySecret: []), logger: Logger(label: "test"))
        let running = Task { try await uploader.run() }
        let reader = try JournalReader(path: path)
        let deadline = Date().addingTimeInterval(20)
        var records: [DeliveryRecord] = []
        repeat {
            try await Task.sleep(for: .milliseconds(50))
            records = try reader.deliveries(platform: "scripted")
        } while (records.count < batches || records.contains { $0.state != .delivered && $0.state != .dead }) && Date() < deadline
        running.cancel()
        try await running.value
        return records
    }

    @Test func eachAnswerIsRecordedAndARetriedBatchIsSentAgainUntilTheOutcomeIsFinal() async throws {
        let client = ScriptedPlatform([
            1: [.retry(reason: "HTTP 503", after: nil), .retry(reason: "timed out", after: nil), .delivered(note: nil)],
            2: [.dead(reason: "HTTP 400: bad credential")]
        ])
        let records = try await deliver(kind: .credentials, batches: 3, platform: client)
        #expect(records.map(\.state) == [.delivered, .dead, .delivered], "\(records)")
        #expect(records[0].attempts == 3)
        #expect(records[0].lastError == nil, "a delivered batch carries no stale error")
        #expect(records[1].attempts == 1 && records[1].lastError == "HTTP 400: bad credential", "a refusal is final, with its reason")
        #expect(client.sent.value.filter { $0 == 2 }.count == 1, "a dead batch is not sent again")
        #expect(client.sent.value.filter { $0 == 3 }.count == 1)
    }

    @Test func captureWorkGroupsBatchesAndSettlesEachOnItsOwn() async throws {
        let client = ScriptedPlatform([2: [.retry(reason: "HTTP 500", after: nil), .delivered(note: "already had it")]])
        let records = try await deliver(kind: .epcis, batches: 4, platform: client)
        #expect(records.map(\.state) == [.delivered, .delivered, .delivered, .delivered], "\(records)")
        #expect(records.map(\.attempts) == [1, 2, 1, 1])
        #expect(client.sent.value.sorted() == [1, 2, 2, 3, 4], "only the retried batch went twice")
    }
}
