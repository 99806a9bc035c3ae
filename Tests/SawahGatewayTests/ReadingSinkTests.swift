import Foundation
import Logging
import ServiceLifecycle
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahGateway
@testable import SawahJournal

/// The one path from every reading source to the journal, driven by a scripted source: what
/// any source stores is committed, counted and offered to the dashboard feed, and what it
/// could not read is quarantined with its own words, the same for every source.
@Suite struct ReadingSinkTests {
    /// A source that stores a fixed list of measurements, one batch each, then waits for the
    /// shutdown as a real source would.
    struct ScriptedSource: ReadingSource {
        let name = "scripted"
        let normaliser: Normaliser
        let quantity: DeviceProfile.Quantity
        let measurements: [Result<Double, SensorReadProblem>]

        func run(storingInto sink: ReadingSink) async throws {
            for (index, measured) in measurements.enumerated() {
                var batch = IngestBatch()
                batch.add(
                    [(quantity, measured)], normaliser: normaliser, at: 1_796_000_000_000 + Int64(index), source: "scripted:probe", raw: "sample \(index)")
                try await sink.store(batch)
            }
            try? await gracefulShutdown()
        }
    }

    @Test func whatAnySourceStoresIsCommittedCountedFedToTheDashboardAndItsFailuresQuarantined() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let library = try DeviceLibrary.load(directory: "\(ProjectPaths.root)/devices")
        let profile = try #require(library.profiles["ds18b20"])
        let sensor = try GatewayConfiguration.parse(
            text: "[gateway]\nid = \"gw\"\n[[sensors]]\nid = \"probe\"\nprofile = \"ds18b20\"\ntopic = \"x/probe\"\n", file: directory.file("sawah.toml")
        ).sensors[0]
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        let sink = ReadingSink(store: journal.ingest, logger: Logger(label: "test"))
        let source = ScriptedSource(
            normaliser: Normaliser(sensor: sensor, profile: profile), quantity: profile.quantities[0],
            measurements: [.success(21.25), .failure(SensorReadProblem("CRC error")), .success(900), .success(22.5)])
        let group = ServiceGroup(services: [ReadingSourceService(source: source, sink: sink)], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let reader = try JournalReader(path: journal.path)
        let deadline = Date().addingTimeInterval(5)
        while try reader.counts().quarantine < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await group.triggerGracefulShutdown()
        try await running.value

        #expect(try reader.readings(afterSeq: 0, limit: 10).map(\.reading.value) == [21.25, 22.5])
        let quarantined = try reader.quarantine(limit: 10).sorted { $0.id < $1.id }
        #expect(quarantined.map { String(decoding: $0.record.payload, as: UTF8.self) } == ["sample 1", "sample 2"])
        #expect(quarantined.first?.record.reason == "soil_temperature: CRC error")
        #expect(quarantined.last?.record.reason.contains("is outside the valid range") == true, "\(quarantined.last?.record.reason ?? "")")
        let stats = sink.stats.snapshot
        #expect(stats.readings == 2 && stats.quarantined == 2 && stats.commits == 4)
        #expect(sink.latest.takeChanged().map(\.value) == [22.5], "the newest value reaches the dashboard feed")
    }
}
