import Foundation
import TestSupport
import Testing

@testable import SawahJournal
@testable import SawahSQLite

/// sawahd seals a rice season's field-tube levels and a fruit lot's pulp temperatures; the
/// operator records the season and the probes' calibrations; `sawah claims issue` computes
/// both claims; `sawah verify --claims` recomputes them from the journal and from an export,
/// and names what was tampered with.
@Suite(.serialized) struct ClaimsEndToEndTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    static let seasonStart: Int64 = 1_780_000_000_000
    static let treatmentStart = seasonStart + 120 * day
    static let plot = "urn:sawah:test:plot:1"
    static let fruitLot = "urn:sawah:test:lot:fruit"
    static let probes = ["p1", "p2", "p3", "a1"]

    static let sensors =
        """
        [[sensors]]
        id = "tube"
        profile = "jsn-sr04t-field-tube"
        topic = "test/tube"
        time_field = "time"
        [sensors.calibration]
        water_level = { offset = 30.0 }
        """
        + probes.map { "\n[[sensors]]\nid = \"\($0)\"\nprofile = \"ds18b20-pulp-probe\"\ntopic = \"test/\($0)\"\n" }.joined()

    static let traceability = """
        [traceability]
        issuer_name = "Sawah test farm"
        farm = "https://id.gs1.org/414/9506000000007"
        time_zone_offset = "+07:00"
        seal_interval_seconds = 1
        seal_max_readings = 500
        [[traceability.lots]]
        id = "urn:sawah:test:lot:rice"
        name = "Rice"
        plot = "\(plot)"
        sensors = ["tube"]
        [[traceability.lots]]
        id = "\(fruitLot)"
        name = "Dragon fruit"
        plot = "urn:sawah:test:hold:1"
        sensors = ["p1", "p2", "p3", "a1"]
        [[claims.awd]]
        plot = "\(plot)"
        level_sensor = "tube"
        [[claims.cold_treatment]]
        lot = "\(fruitLot)"
        exporter = "urn:sawah:test:exporter"
        exporter_name = "Test exporter"
        probes = [{ sensor = "p1", placement = "pulp" }, { sensor = "p2", placement = "pulp" }, { sensor = "p3", placement = "pulp" }, { sensor = "a1", placement = "air" }]
        """

    /// The messages: the tube hourly over 100 days (drained to -12 cm on days 30–35 and
    /// 50–55, else +5 cm, sent as the distance from a transducer 30 cm above the soil), then
    /// the probes hourly over 330 h of treatment (p1 reads 1.3 °C, which its 0.3 °C ice
    /// reading brings to 1.0; the other pulp probes 0.8; the air 10).
    static func messages() -> [(topic: String, payload: String)] {
        var messages: [(String, String)] = []
        for hour in 0..<(100 * 24) {
            let day = Double(hour) / 24
            let level = (day >= 30 && day < 35) || (day >= 50 && day < 55) ? -12.0 : 5.0
            messages.append(("test/tube", "{\"distance\": \((30 - level) / 100), \"time\": \(seasonStart + Int64(hour) * Self.hour)}"))
        }
        for hour in 0...330 {
            for probe in probes {
                let celsius = hour < 24 ? 5.0 : (probe == "a1" ? 10.0 : probe == "p1" ? 1.3 : 0.8)
                messages.append(("test/\(probe)", "{\"temperature\": \(celsius), \"time\": \(treatmentStart + Int64(hour) * Self.hour)}"))
            }
        }
        return messages
    }

    @Test func claimsAreIssuedFromTheSealedChainAndRecomputedByTheVerifier() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let platform = try PlatformProcess()
        defer { platform.remove() }
        let gateway = try GatewayHarness(
            broker: broker, sensors: Self.sensors,
            traceability: Self.traceability + "\n" + UplinkEndToEndTests.platforms(platform) + "\n\n"
                + UplinkEndToEndTests.platform(id: "claims-ref", url: platform.baseURL + "/claims", kind: "claims"))
        defer { gateway.remove() }
        let config = gateway.configPath
        func sawah(_ arguments: String...) throws -> (status: Int32, output: String) { try gateway.sawah(arguments + ["--config", config]) }
        #expect(try sawah("identity", "create").status == 0)
        try gateway.start()
        try gateway.startUplink()
        let started = try sawah("season", "start", "--plot", Self.plot, "--at", String(Self.seasonStart))
        #expect(started.status == 0 && started.output.contains("season start of plot \(Self.plot)"), "\(started.output)")
        for probe in Self.probes {
            let ice = probe == "p1" ? "0.3" : "0"
            let recorded = try sawah("calibration", "record", "--sensor", probe, "--ice-reading", ice, "--at", String(Self.treatmentStart - Self.day))
            #expect(recorded.status == 0, "\(recorded.output)")
        }
        let refused = try sawah("calibration", "record", "--sensor", "p1", "--ice-reading", "7")
        #expect(refused.status != 0 && refused.output.contains("is not a calibration offset"), "\(refused.output)")

        let messages = Self.messages()
        let publisher = try ConfirmedPublisher(port: broker.port)
        for (index, message) in messages.enumerated() { try publisher.publish(topic: message.topic, payload: message.payload, key: index) }
        #expect(publisher.waitForAcknowledgements(timeout: 60))
        publisher.close()
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: Int64(messages.count))
        #expect(batches.reduce(0) { $0 + $1.readingCount } == Int64(messages.count), "every reading sealed")

        let early = try sawah("claims", "issue", "awd", "--plot", Self.plot)
        #expect(early.status != 0 && early.output.contains("has no end record yet: run sawah season end"), "\(early.output)")
        #expect(try sawah("season", "harvest", "--plot", Self.plot, "--at", String(Self.seasonStart + 100 * Self.day)).status == 0)
        #expect(try sawah("season", "end", "--plot", Self.plot, "--at", String(Self.seasonStart + 110 * Self.day)).status == 0)
        let twice = try sawah("season", "end", "--plot", Self.plot, "--at", String(Self.seasonStart + 111 * Self.day))
        #expect(twice.status != 0 && twice.output.contains("no open season"), "\(twice.output)")

        let awd = try sawah("claims", "issue", "awd", "--plot", Self.plot)
        #expect(awd.status == 0, "\(awd.output)")
        #expect(awd.output.contains("multiple-drainage, 2 counted drainage periods, scaling factor 0.55"), "\(awd.output)")
        let window = ["--from", String(Self.treatmentStart), "--to", String(Self.treatmentStart + 331 * Self.hour)]
        let cold = try gateway.sawah(["claims", "issue", "cold-treatment", "--lot", Self.fruitLot] + window + ["--config", config])
        #expect(cold.status == 0 && cold.output.contains("met 1.11 °C for 12 days, 0 restarts"), "\(cold.output)")
        // The season and calibration records reach both platforms as links of the chain: the
        // EPCIS platform stores their events, the credentials platform links them up.
        let links = try JournalReader(path: gateway.journalPath).batches()
        let status = try UplinkEndToEndTests.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: links.count)
        #expect(status.allSatisfy { $0.delivered == Int64(links.count) && $0.dead == 0 }, "\(status)")
        #expect(try platform.count("SELECT COUNT(*) FROM events") == links.count, "one event per batch and per record")
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == links.count)
        #expect(try platform.count("SELECT COUNT(*) FROM held_certificates") == 0)
        // Both claims reach the claims platform, which took them only after recomputing each
        // from the chain it received (it answers 425 until the chain is there).
        let claimStatus = try UplinkEndToEndTests.waitForDeliveries(gateway.journalPath, platforms: ["claims-ref"], batches: 2, claims: true)
        #expect(claimStatus.first?.delivered == 2 && claimStatus.first?.dead == 0 && claimStatus.first?.unseen == 0, "\(claimStatus)")
        #expect(try platform.count("SELECT COUNT(*) FROM claims") == 2)
        #expect(try platform.count("SELECT COUNT(*) FROM claims WHERE prefill IS NOT NULL") == 1, "the cold treatment's ePhyto prefill")
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)

        let listed = try sawah("claims", "list").output
        #expect(listed.contains("awd  \(Self.plot)") && listed.contains("cold-treatment  \(Self.fruitLot)"), "\(listed)")
        print("claims end to end, claim 1: \(try sawah("claims", "show", "1").output)")
        let shown = try sawah("claims", "show", "2").output
        print("claims end to end, claim 2: \(shown)")
        #expect(shown.contains("\"ePhytoPrefill\"") && shown.contains("\"temperatureCelsius\":1.11"), "\(shown)")

        let did = try #require(
            try sawah("identity", "show").output.split(separator: "\n").first { $0.hasPrefix("did:") }?.split(separator: " ").last.map(String.init))
        var verdict = try sawah("verify", "--claims", "--issuer", did)
        #expect(verdict.status == 0 && verdict.output.contains("CLAIMS VERIFIED: 2 claims"), "\(verdict.output)")

        // The export verifies with nothing but the files.
        let exported = gateway.directory.file("claims")
        #expect(try sawah("claims", "export", "-o", exported).status == 0)
        verdict = try gateway.sawah(["verify", "--bundles", exported, "--claims", "--issuer", did])
        #expect(verdict.status == 0 && verdict.output.contains("CLAIMS VERIFIED: 2 claims"), "\(verdict.output)")

        // An edited evidence bundle.
        let evidence = exported + "/claim-000001.evidence.json"
        let original = try String(contentsOfFile: evidence, encoding: .utf8)
        try original.replacingOccurrences(of: "\"countedPeriods\":2", with: "\"countedPeriods\":3").write(toFile: evidence, atomically: true, encoding: .utf8)
        verdict = try gateway.sawah(["verify", "--bundles", exported, "--claims", "--issuer", did])
        #expect(verdict.status == 1 && verdict.output.contains("claim urn:sawah:\(gateway.gatewayID):claim:1: evidence digest"), "\(verdict.output)")
        try original.write(toFile: evidence, atomically: true, encoding: .utf8)

        // A calibration record changed in the export: the chain and the cold-treatment claim say so.
        let calibration = try #require(
            try FileManager.default.contentsOfDirectory(atPath: exported).sorted().first { name in
                name.hasSuffix(".epcis.jsonld") && ((try? String(contentsOfFile: exported + "/" + name, encoding: .utf8))?.contains("\"value\":0.3") ?? false)
            })
        let record = try String(contentsOfFile: exported + "/" + calibration, encoding: .utf8)
        try record.replacingOccurrences(of: "\"value\":0.3", with: "\"value\":0").write(toFile: exported + "/" + calibration, atomically: true, encoding: .utf8)
        verdict = try gateway.sawah(["verify", "--bundles", exported, "--claims", "--issuer", did])
        #expect(verdict.status == 1 && verdict.output.contains("EPCIS document digest"), "\(verdict.output)")
        #expect(verdict.output.contains("claim urn:sawah:\(gateway.gatewayID):claim:2: recomputed:"), "\(verdict.output)")

        // A level reading changed in the journal, in the middle of the second drainage.
        let db = try SQLiteConnection(path: gateway.journalPath)
        try db.execute(
            "UPDATE readings SET value = 5 WHERE observed_at = \(Self.seasonStart + 52 * Self.day) AND series = (SELECT id FROM series WHERE sensor = 'tube')")
        #expect(db.changes == 1)
        verdict = try sawah("verify", "--claims", "--issuer", did)
        #expect(verdict.status == 1 && verdict.output.contains("raw series digest"), "\(verdict.output)")
        #expect(verdict.output.contains("claim urn:sawah:\(gateway.gatewayID):claim:1: recomputed: certificates["), "\(verdict.output)")
        #expect(!verdict.output.contains("claim:2"), "the treatment does not rest on the tube: \(verdict.output)")
    }
}
