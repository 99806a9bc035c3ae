import Foundation
import TestSupport
import Testing

@testable import SawahJournal
@testable import SawahTraceability

/// Three platforms with three disclosure profiles, fed by the real uplink from a plot whose
/// exact coordinates are in the config: what each platform stored, searched byte for byte;
/// the aggregates against the journal's readings; pseudonyms per platform; the copies
/// re-derived from the originals; and the audit, exactly once across kill -9 of sawah-uplink.
@Suite(.serialized) struct DisclosureEndToEndTests {
    static let latitude = "10.762622"
    static let longitude = "106.660172"

    static let traceability = """
        [traceability]
        issuer_name = "Sawah test farm"
        farm = "https://id.gs1.org/414/9506000000007"
        time_zone_offset = "+07:00"
        seal_interval_seconds = 1
        seal_max_readings = 60
        [[traceability.lots]]
        id = "\(GatewayHarness.counterLot)"
        name = "Test lot"
        plot = "https://id.gs1.org/414/9506000000014"
        plot_coordinates = "\(latitude),\(longitude)"
        sensors = ["counter"]
        """

    static func platforms(_ platform: PlatformProcess) -> String {
        """
        \(UplinkEndToEndTests.platform(id: "buyer", url: platform.baseURL + "/credentials", kind: "credentials"))
        [platforms.disclosure]
        location = "geohash:5"
        series = "aggregate:1m"
        device_ids = "pseudonym"
        terms = "https://buyer.example.com/data-terms"

        \(UplinkEndToEndTests.platform(id: "certifier", url: platform.baseURL + "/credentials", kind: "credentials"))
        [platforms.disclosure]
        device_ids = "pseudonym"

        \(UplinkEndToEndTests.platform(id: "dashboard", url: platform.baseURL))
        [platforms.disclosure]
        location = "grid:0.1"
        """
    }

    /// Every byte the platform keeps, database and write-ahead log.
    static func storedBytes(_ platform: PlatformProcess) -> String {
        let files = [platform.databasePath, platform.databasePath + "-wal"]
        return files.compactMap { FileManager.default.contents(atPath: $0) }.map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    @Test func eachPlatformGetsWhatItsProfileAllowsAndEveryDeliveryIsAuditedOnce() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let platform = try PlatformProcess(arguments: ["--latency-ms", "60"])
        defer { platform.remove() }
        let gateway = try GatewayHarness(broker: broker, traceability: Self.traceability + "\n" + Self.platforms(platform))
        defer { gateway.remove() }
        #expect(try gateway.sawah(["identity", "create", "--config", gateway.configPath]).status == 0)
        try gateway.start()
        try CertificatesEndToEndTests.publish(1_200, to: broker)
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 1_200)
        // sawah-uplink killed at random instants while it delivers.
        for _ in 0..<6 {
            try gateway.startUplink()
            usleep(UInt32.random(in: 200_000...700_000))
            gateway.uplink.kill9()
        }
        try gateway.startUplink()
        let platforms = ["buyer", "certifier", "dashboard"]
        let status = try UplinkEndToEndTests.waitForDeliveries(gateway.journalPath, platforms: platforms, batches: batches.count, timeout: 120)
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)
        #expect(status.allSatisfy { $0.delivered == Int64(batches.count) && $0.dead == 0 }, "\(status)")

        // No exact coordinate anywhere in what the platform stored.
        let stored = Self.storedBytes(platform)
        #expect(!stored.contains(Self.latitude) && !stored.contains(Self.longitude), "an exact coordinate reached the platform")
        #expect(!stored.contains("\"counter\"") && !stored.contains(",counter,"), "the sensor id reached a pseudonymous platform")
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == 0, "no original left the farm")
        #expect(try platform.count("SELECT COUNT(*) FROM derived_certificates") == 2 * batches.count)
        #expect(try platform.count("SELECT COUNT(*) FROM events") == batches.count)
        #expect(
            try platform.count("SELECT COUNT(*) FROM events WHERE event LIKE '%10.75%' AND event LIKE '%106.65%'") == batches.count, "the grid cell's centre")

        // The buyer's aggregates are what the journal's readings give, minute by minute.
        let reader = try JournalReader(path: gateway.journalPath)
        let readings = try reader.readings(afterSeq: 0, limit: 10_000)
        var expected: [Int64: (count: Int, min: Double, max: Double)] = [:]
        for row in readings {
            let minute = row.reading.observedAt / 60_000 * 60_000
            let old = expected[minute] ?? (0, .infinity, -.infinity)
            expected[minute] = (old.count + 1, min(old.min, row.reading.value), max(old.max, row.reading.value))
        }
        var found: [Int64: (count: Int, min: Double, max: Double)] = [:]
        var buyerPseudonyms: Set<String> = []
        for (_, copy) in try reader.derivedCopies(platform: "buyer") {
            for line in String(decoding: copy.series, as: UTF8.self).split(separator: "\n").dropFirst(2) {
                let fields = line.split(separator: ",").map(String.init)
                buyerPseudonyms.insert(fields[0])
                let minute = try #require(EPCISTimestamp.milliseconds(fields[3]))
                let old = found[minute] ?? (0, .infinity, -.infinity)
                found[minute] = (old.count + Int(fields[5])!, min(old.min, Double(fields[6])!), max(old.max, Double(fields[7])!))
            }
        }
        #expect(found.count == expected.count && found.allSatisfy { minute, value in expected[minute].map { $0 == value } ?? false }, "\(found) vs \(expected)")

        // Pseudonyms: one per sensor and platform, stable across batches, different per platform.
        var certifierPseudonyms: Set<String> = []
        for (_, copy) in try reader.derivedCopies(platform: "certifier") {
            for line in String(decoding: copy.series, as: UTF8.self).split(separator: "\n").dropFirst(2) {
                certifierPseudonyms.insert(String(line.split(separator: ",")[1]))
            }
        }
        #expect(buyerPseudonyms.count == 1 && certifierPseudonyms.count == 1 && buyerPseudonyms != certifierPseudonyms)

        // The copies re-derive from the originals: fully with the platform's key.
        let key = try gateway.sawah(["disclosures", "key", "--platform", "buyer", "--config", gateway.configPath])
        #expect(key.status == 0 && key.output.trimmingCharacters(in: .whitespacesAndNewlines).count == 64, "\(key.output)")
        var checked = try gateway.sawah(
            [
                "disclosures", "check", "--platform", "buyer", "--platform-key", key.output.trimmingCharacters(in: .whitespacesAndNewlines), "--config",
                gateway.configPath
            ])
        #expect(checked.status == 0 && checked.output.contains("VERIFIED: \(batches.count) derived copies for buyer"), "\(checked.output)")
        checked = try gateway.sawah(["disclosures", "check", "--platform", "certifier", "--config", gateway.configPath])
        #expect(checked.status == 0 && checked.output.contains("note: pseudonymised for certifier"), "\(checked.output)")

        // An auditor's check from files: the buyer's copies against the exported originals.
        let copies = gateway.directory.file("buyer-copies")
        let originals = gateway.directory.file("originals")
        #expect(try gateway.sawah(["disclosures", "export", "--platform", "buyer", "-o", copies, "--config", gateway.configPath]).status == 0)
        #expect(try gateway.sawah(["certificates", "export", "--from", "1", "-o", originals, "--config", gateway.configPath]).status == 0)
        let platformKey = key.output.trimmingCharacters(in: .whitespacesAndNewlines)
        var audited = try gateway.sawah(["verify", "--derived", copies, "--bundles", originals, "--platform-key", platformKey])
        #expect(audited.status == 0 && audited.output.contains("VERIFIED: \(batches.count) derived copies"), "\(audited.output)")
        let series = copies + "/batch-000002.raw-series.csv"
        let honest = try String(contentsOfFile: series, encoding: .utf8)
        var lines = honest.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[2].split(separator: ",").map(String.init)
        fields[7] = String(Double(fields[7])! + 1)  // one interval's maximum raised
        lines[2] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: series, atomically: true, encoding: .utf8)
        audited = try gateway.sawah(["verify", "--derived", copies, "--bundles", originals, "--platform-key", platformKey])
        #expect(audited.status == 1 && audited.output.contains("batch 2: series digest"), "\(audited.output)")
        #expect(audited.output.contains("batch 2: derivation: the series is not the original's"), "\(audited.output)")

        // What each profile sent of batch 1, for the record.
        let buyerCopy = try #require(try reader.derivedCopies(platform: "buyer").first)
        let certifierCopy = try #require(try reader.derivedCopies(platform: "certifier").first)
        print("disclosure end to end, buyer, batch 1 EPCIS: \(String(decoding: buyerCopy.copy.epcis, as: UTF8.self))")
        print("disclosure end to end, buyer, batch 1 series: \(String(decoding: buyerCopy.copy.series, as: UTF8.self).prefix(400))")
        print("disclosure end to end, certifier, batch 1 EPCIS: \(String(decoding: certifierCopy.copy.epcis, as: UTF8.self))")
        print("disclosure end to end, certifier, batch 1 series: \(String(decoding: certifierCopy.copy.series, as: UTF8.self).prefix(300))")
        print("disclosure end to end, buyer credential: \(String(decoding: Base64URL.decode(buyerCopy.copy.jws.split(separator: ".")[1])!, as: UTF8.self))")

        // The audit: each platform, each batch, once, with the profile it went under.
        let audit = try reader.disclosures()
        #expect(audit.count == 3 * batches.count, "\(audit.count) entries for \(batches.count) batches")
        #expect(Set(audit.map { "\($0.platform)/\($0.batch)" }).count == audit.count, "no delivery is audited twice")
        #expect(Set(audit.filter { $0.platform == "buyer" }.map(\.profileHash)).count == 1)
        #expect(audit.filter { $0.platform == "buyer" }.allSatisfy { $0.sent.hasSuffix(":for:buyer") })
        let listed = try gateway.sawah(["disclosures", "list", "--platform", "dashboard", "--config", gateway.configPath])
        print("disclosure end to end, dashboard, batch 1 event: \(try platform.text("SELECT event FROM events ORDER BY received_at LIMIT 1"))")
        #expect(listed.output.split(separator: "\n").count == batches.count, "\(listed.output)")
    }
}
