import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal

/// The `sawah` operator commands against a real journal file.
@Suite struct CommandLineTests {
    let directory: TemporaryDirectory
    let sawah: String
    var journal: String { directory.file("journal.sqlite") }

    init() throws {
        directory = try TemporaryDirectory()
        sawah = try #require(ProjectPaths.executable("sawah"), "build sawah first")
        let store = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        var batch = IngestBatch()
        batch.readings = [
            Reading(
                sensor: "plot1", quantity: "soil_temperature", value: 24.5, unit: "CEL",
                observedAt: 1_764_400_000_000, receivedAt: 1_764_400_000_500, source: "farm/plot1", quality: []),
            Reading(
                sensor: "plot,2", quantity: "soil_moisture", value: 31.25, unit: "P1",
                observedAt: 1_764_486_400_000, receivedAt: 1_764_486_400_000, source: "farm/plot2", quality: [.receiveTime, .calibrated])
        ]
        batch.quarantine = [
            QuarantineRecord(
                source: "farm/x", payload: [0x7b, 0xff, 0x0a], reason: "payload is not valid UTF-8 (bad byte at offset 1)", receivedAt: 1_764_400_000_000)
        ]
        try store.append(batch)
    }

    @Test func exportWritesCSVWithQuotingAndOnlyTheAskedRange() throws {
        let result = try ChildProcess.run(sawah, ["readings", "export", "--journal", journal, "--from", "2025-11-29", "--to", "2025-11-30"])
        #expect(result.status == 0, "\(result.output)")
        #expect(
            result.output == """
                seq,sensor,quantity,value,unit,observed_at,received_at,source,quality
                1,plot1,soil_temperature,24.5,CEL,2025-11-29T07:06:40.000Z,2025-11-29T07:06:40.500Z,farm/plot1,

                """)
    }

    @Test func exportWritesJSONLinesToAFile() throws {
        let output = directory.file("out.jsonl")
        let result = try ChildProcess.run(
            sawah, ["readings", "export", "--journal", journal, "--from", "0", "--to", "2030-01-01T00:00:00Z", "--format", "jsonl", "-o", output])
        #expect(result.status == 0, "\(result.output)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(second?["sensor"] as? String == "plot,2")
        #expect(second?["value"] as? Double == 31.25)
        #expect(second?["quality"] as? [String] == ["receive-time", "calibrated"])
    }

    /// Without --from or --to the export starts at the first reading or ends after the last.
    @Test func exportWithoutARangeWritesEverything() throws {
        let all = try ChildProcess.run(sawah, ["readings", "export", "--journal", journal, "--format", "jsonl"])
        #expect(all.status == 0 && all.output.split(separator: "\n").count == 2, "\(all.output)")
        let since = try ChildProcess.run(sawah, ["readings", "export", "--journal", journal, "--from", "2025-11-30"])
        #expect(since.status == 0 && since.output.split(separator: "\n").count == 2 && since.output.contains("plot,2"), "\(since.output)")
        let until = try ChildProcess.run(sawah, ["readings", "export", "--journal", journal, "--to", "2025-11-30"])
        #expect(until.status == 0 && until.output.split(separator: "\n").count == 2 && until.output.contains("plot1"), "\(until.output)")
    }

    @Test func exportRejectsAnEmptyOrReversedRange() throws {
        let result = try ChildProcess.run(sawah, ["readings", "export", "--journal", journal, "--from", "2026-01-02", "--to", "2026-01-01"])
        #expect(result.status != 0)
        #expect(result.output.contains("--from must be before --to"))
        let bad = try ChildProcess.run(sawah, ["readings", "export", "--journal", journal, "--from", "yesterday", "--to", "2026-01-01"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("yesterday"))
    }

    @Test func tailShowsTheNewestReadings() throws {
        let result = try ChildProcess.run(sawah, ["readings", "tail", "--journal", journal, "-n", "1"])
        #expect(result.status == 0)
        #expect(result.output == "2  2025-11-30T07:06:40.000Z  plot,2  soil_moisture = 31.25 P1  [receive-time,calibrated]\n")
    }

    @Test func quarantineListEscapesTheRawBytes() throws {
        let result = try ChildProcess.run(sawah, ["quarantine", "list", "--journal", journal])
        #expect(result.status == 0)
        #expect(result.output.contains("farm/x  3 bytes"))
        #expect(result.output.contains("reason:  payload is not valid UTF-8 (bad byte at offset 1)"))
        #expect(result.output.contains("payload: {\\xff\\x0a"))
    }

    @Test func aMissingJournalIsAClearError() throws {
        let result = try ChildProcess.run(sawah, ["readings", "tail", "--journal", directory.file("nope.sqlite")])
        #expect(result.status != 0)
        #expect(result.output.contains("nope.sqlite"))
    }

    /// Provisioning and uplink commands refuse a missing config, an unknown node and bad
    /// options with the reason, before touching anything.
    @Test(arguments: [
        (["broker", "render", "--config", "/nonexistent/sawah.toml"], "cannot read /nonexistent/sawah.toml"),
        (["node", "add", "plot1-node", "--config", "/nonexistent/sawah.toml"], "cannot read /nonexistent/sawah.toml"),
        (["firmware", "render", "--node", "n", "--kind", "micropython"], "--kind: expected esphome or tasmota"),
        (["uplink", "list", "--state", "lost"], "--state: expected pending, in_flight, delivered, dead or all"),
        (["uplink", "retry"], "give a batch number or --all-dead")
    ])
    func provisioningAndUplinkCommandsNameBadInput(arguments: [String], reason: String) throws {
        let result = try ChildProcess.run(sawah, arguments + (arguments.first == "uplink" ? ["--journal", journal] : []))
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains(reason), "\(result.output)")
    }

    /// Every subcommand that reads the config ends as `sawahd --check-config` does on an
    /// unusable one: exit 78 (EX_CONFIG), the file and the key named.
    @Test(arguments: [
        ["status"], ["readings", "tail"], ["readings", "export"], ["certificates", "seal"], ["claims", "list"], ["season", "start", "--plot", "p"],
        ["calibration", "list"], ["broker", "render"], ["node", "list"], ["identity", "show"], ["disclosures", "list"], ["verify"],
        ["uplink", "list"], ["metrics", "serve"], ["web"]
    ])
    func anUnusableConfigExits78(arguments: [String]) throws {
        try directory.write("[gateway]\nid = \"bad id\"\n", to: "bad.toml")
        let result = try ChildProcess.run(sawah, arguments + ["--config", directory.file("bad.toml")])
        #expect(result.status == 78, "\(arguments): \(result.status) \(result.output)")
        #expect(result.output.contains("cannot read \(directory.file("bad.toml"))") && result.output.contains("[gateway] id"), "\(result.output)")
    }

    /// `sawah web` with a token file other users can read: refused as a config problem (78),
    /// the file and the fix named, before it listens.
    @Test func webRefusesAnExposedTokenFile() throws {
        try directory.write("a-long-enough-token-0123456789\n", to: "web.token")
        chmod(directory.file("web.token"), 0o644)
        try directory.write("[gateway]\nid = \"gw\"\ndata_dir = \"data\"\n[web]\nport = 1\ntoken_file = \"web.token\"\n", to: "web.toml")
        let result = try ChildProcess.run(sawah, ["web", "--config", directory.file("web.toml")])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains(directory.file("web.token")) && result.output.contains("chmod 0640"), "\(result.output)")
    }

    /// `sawah certificates event-hash` names the file and what is wrong with it.
    @Test(arguments: [
        ("missing.jsonld", nil, "cannot read it"),
        ("text.jsonld", "not json", "not JSON"),
        ("plain.jsonld", "{\"epcisBody\": {}}", "not an EPCIS document (no epcisBody.eventList)")
    ])
    func eventHashNamesABadDocument(name: String, content: String?, reason: String) throws {
        if let content { try directory.write(content, to: name) }
        let result = try ChildProcess.run(sawah, ["certificates", "event-hash", directory.file(name)])
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains("\(directory.file(name)): \(reason)"), "\(result.output)")
    }

    @Test func nodeAddRefusesANodeNoSensorNames() throws {
        try directory.write("[gateway]\nid = \"gw\"\ndata_dir = \"data\"\n", to: "sawah.toml")
        let result = try ChildProcess.run(sawah, ["node", "add", "ghost", "--config", directory.file("sawah.toml")])
        #expect(result.status != 0)
        #expect(result.output.contains("no [[sensors]] entry has node = \"ghost\""), "\(result.output)")
    }
}

/// `sawah status` against a gateway that has ingested and sealed.
@Suite(.serialized) struct StatusCommandTests {
    @Test func statusShowsWhatTheJournalHolds() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 3_600, maxReadings: 100))
        defer { gateway.remove() }
        #expect(try gateway.sawah(["identity", "create", "--config", gateway.configPath]).status == 0)
        try gateway.start()
        try CertificatesEndToEndTests.publish(250, to: broker)
        let sealed = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 200)
        #expect(gateway.daemon.stop() == 0)
        #expect(sealed.reduce(0) { $0 + $1.readingCount } == 200, "sawahd's log:\n\(gateway.daemon.log)")

        let json = try gateway.sawah(["status", "--config", gateway.configPath, "--json"])
        #expect(json.status == 0, "\(json.output)")
        let status = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any] ?? [:]
        let journal = status["journal"] as? [String: Any] ?? [:]
        #expect(journal["readings"] as? Double == 250)
        let certificates = status["certificates"] as? [String: Any] ?? [:]
        #expect(certificates["batches"] as? Double == 2)
        #expect((certificates["unsealed"] as? [String: Any])?["https://id.gs1.org/01/09506000134352/10/TEST-LOT"] as? Double == 50)
        #expect(((status["sources"] as? [[String: Any]])?.first?["last_reading"] as? String) != nil)

        let text = try gateway.sawah(["status", "--config", gateway.configPath])
        #expect(text.status == 0)
        for line in [
            "Sources", "  counter (test-counter, test/counter): last reading", "250 readings", "Certificates  2 batches, batch 2 sealed",
            "TEST-LOT: 50 readings waiting to be sealed", "Uplinks",
            ClockSync.read().synchronized ? "Clock  synchronised" : "Clock  NOT synchronised"
        ] {
            #expect(text.output.contains(line), "missing \"\(line)\" in:\n\(text.output)")
        }
    }
}
