import Foundation
import TestSupport
import Testing

@testable import SawahJournal
@testable import SawahSQLite
@testable import SawahTraceability

/// sawahd seals what it ingests into a verifiable chain; `sawah verify` names every break.
@Suite(.serialized) struct CertificatesEndToEndTests {
    static func publish(_ count: Int, from first: Int = 1, to broker: MosquittoBroker) throws {
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        for seq in first..<(first + count) {
            try publisher.publish(topic: "test/counter", payload: "{\"seq\": \(seq)}", key: seq)
        }
        #expect(publisher.waitForAcknowledgements(timeout: 30))
    }

    /// Waits until the batches cover `readings` readings.
    static func waitForSealed(_ path: String, readings: Int64, timeout: TimeInterval = 90) throws -> [StoredBatch] {
        let reader = try JournalReader(path: path)
        let deadline = Date().addingTimeInterval(timeout)
        var batches: [StoredBatch] = []
        repeat {
            batches = (try? reader.batches()) ?? []
            if batches.reduce(0, { $0 + $1.readingCount }) >= readings { break }
            usleep(100_000)
        } while Date() < deadline
        return batches
    }

    @Test func ingestedReadingsAreSealedIntoAChainThatVerifiesAndTamperingIsNamed() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: 400))
        defer { gateway.remove() }
        let created = try gateway.sawah(["identity", "create", "--config", gateway.configPath])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("did:key:zDn"))
        try gateway.start()
        try Self.publish(2_000, to: broker)
        let batches = try Self.waitForSealed(gateway.journalPath, readings: 2_000)
        #expect(gateway.daemon.stop() == 0)
        let all = try JournalReader(path: gateway.journalPath).readings(afterSeq: 0, limit: 100_000)
        #expect(all.count == 2_000 && Set(all.map(\.reading.value)).count == 2_000, "each message stored once")
        print("certificates: batches \(batches.map { "\($0.number):\($0.firstSeq)…\($0.lastSeq)" }), \(all.count) readings")
        #expect(batches.reduce(0) { $0 + $1.readingCount } == 2_000)
        #expect(batches.count >= 5, "400 readings per batch at most")
        for (a, b) in zip(batches, batches.dropFirst()) {
            #expect(b.number == a.number + 1 && b.firstSeq > a.lastSeq, "batches are consecutive and do not overlap")
        }

        // Intact but unanchored: never a bare VERIFIED.
        var verdict = try gateway.sawah(["verify", "--config", gateway.configPath])
        #expect(verdict.status == 3 && verdict.output.hasPrefix("ISSUER UNVERIFIED: \(batches.count) batches, 2000 readings"), "\(verdict.output)")
        #expect(verdict.output.contains("no trust anchor was given"), "\(verdict.output)")
        let shown = try gateway.sawah(["identity", "show", "--config", gateway.configPath]).output
        let did = try #require(shown.split(separator: "\n").first { $0.hasPrefix("did:") }?.split(separator: " ").last.map(String.init))
        verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did])
        #expect(verdict.status == 0 && verdict.output.hasPrefix("VERIFIED: \(batches.count) batches, 2000 readings"), "\(verdict.output)")
        #expect(verdict.output.contains("signed by \(did) (key "), "every verdict names the signer and its key: \(verdict.output)")
        verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", "did:key:zDnaeSomebodyElse"])
        #expect(verdict.status == 3 && verdict.output.contains("not by the expected did:key:zDnaeSomebodyElse"), "\(verdict.output)")

        // Exported bundles verify offline with nothing but the files.
        let bundles = gateway.directory.file("bundles")
        #expect(try gateway.sawah(["certificates", "export", "--config", gateway.configPath, "--from", "1", "-o", bundles]).status == 0)
        verdict = try gateway.sawah(["verify", "--bundles", bundles, "--issuer", did])
        #expect(verdict.status == 0, "\(verdict.output)")

        let db = try SQLiteConnection(path: gateway.journalPath)
        // One changed reading.
        try db.execute("UPDATE readings SET value = value + 0.5 WHERE seq = \(batches[2].firstSeq + 3)")
        verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did])
        #expect(verdict.status == 1)
        #expect(verdict.output.contains("batch 3: raw series digest:"), "\(verdict.output)")
        #expect(verdict.output.contains("batch 3: raw series: counter/seq"), "\(verdict.output)")
        try db.execute("UPDATE readings SET value = value - 0.5 WHERE seq = \(batches[2].firstSeq + 3)")
        #expect(try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did]).status == 0)

        // Two batches' certificates swapped.
        try db.execute(
            """
            UPDATE batches SET jws = CASE number WHEN 2 THEN (SELECT jws FROM batches WHERE number = 4)
                                                 WHEN 4 THEN (SELECT jws FROM batches WHERE number = 2) END
            WHERE number IN (2, 4)
            """)
        verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did])
        #expect(verdict.status == 1)
        #expect(verdict.output.contains("batch 2: credential: id is urn:sawah:\(gateway.gatewayID):certificate:4"), "\(verdict.output)")

        // A deleted batch.
        try db.execute("DELETE FROM batches WHERE number = 3")
        verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did])
        #expect(verdict.output.contains("batch 4: chain: follows batch 2: batch 3 is missing"), "\(verdict.output)")
    }

    @Test func killNineWhileSealingKeepsTheChainContinuous() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: 60))
        defer { gateway.remove() }
        #expect(try gateway.sawah(["identity", "create", "--config", gateway.configPath]).status == 0)
        try gateway.start()
        gateway.daemon.kill9()
        let total = 6_000
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        let finished = CrashDurabilityTests.publishInBackground(publisher, count: total, perSecond: 1_000)
        let kills = max(20, CrashDurabilityTests.kills)
        for _ in 0..<kills {
            try gateway.daemon.start()
            usleep(UInt32.random(in: 100_000...450_000))
            gateway.daemon.kill9()
        }
        try gateway.start(timeout: 20)
        let deadline = Date().addingTimeInterval(60)
        while !finished.value && Date() < deadline { usleep(50_000) }
        #expect(publisher.waitForAcknowledgements(timeout: 30))
        let batches = try Self.waitForSealed(gateway.journalPath, readings: Int64(total), timeout: 60)
        #expect(gateway.daemon.stop() == 0)
        #expect(batches.reduce(0) { $0 + $1.readingCount } == Int64(total), "every reading sealed exactly once")
        #expect(batches.map(\.number) == Array(1...Int64(batches.count)), "no batch missing or doubled")
        for (a, b) in zip(batches, batches.dropFirst()) { #expect(b.firstSeq > a.lastSeq) }
        let shown = try gateway.sawah(["identity", "show", "--config", gateway.configPath]).output
        let did = try #require(shown.split(separator: "\n").first { $0.hasPrefix("did:") }?.split(separator: " ").last.map(String.init))
        let verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did])
        #expect(verdict.status == 0, "\(verdict.output)")
        print("sealing crash test: \(kills) kills, \(batches.count) batches, \(total) readings, verify: \(verdict.output.prefix(60))")
    }
}

@Suite(.serialized) struct KeyRotationEndToEndTests {
    @Test func rotatingTheKeyWhileSawahdRunsKeepsTheChainVerifiable() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: 200))
        defer { gateway.remove() }
        let created = try gateway.sawah(["identity", "create", "--config", gateway.configPath])
        try gateway.start()
        try CertificatesEndToEndTests.publish(600, to: broker)
        _ = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 600)
        let rotated = try gateway.sawah(["identity", "rotate", "--config", gateway.configPath])
        #expect(rotated.status == 0, "\(rotated.output)")
        #expect(rotated.output.contains("rotates the key"))
        try CertificatesEndToEndTests.publish(600, from: 601, to: broker)
        _ = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 1_200)
        #expect(gateway.daemon.stop() == 0)
        // The chain is anchored at the key it started with; the rotation it signed carries on.
        let did = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("did:") }?.split(separator: " ").last.map(String.init))
        let verdict = try gateway.sawah(["verify", "--config", gateway.configPath, "--issuer", did])
        #expect(verdict.status == 0, "\(verdict.output)")
        let shown = try gateway.sawah(["identity", "show", "--config", gateway.configPath])
        let oldDID = created.output.split(separator: "\n").first { $0.hasPrefix("did:") }
        let newDID = shown.output.split(separator: "\n").first { $0.hasPrefix("did:") }
        #expect(oldDID != nil && newDID != nil && oldDID != newDID)
        let files = try FileManager.default.contentsOfDirectory(atPath: gateway.directory.file("data"))
        #expect(files.contains { $0.hasPrefix("identity.pem.retired-") })
        #expect(!files.contains("identity.pem.new"))
    }
}

/// `sawah identity rotate --complete`: both outcomes of an interrupted rotation.
@Suite struct InterruptedRotationTests {
    func setUp() throws -> (directory: TemporaryDirectory, config: String, key: String) {
        let directory = try TemporaryDirectory()
        let config = """
            [gateway]
            id = "gw"
            data_dir = "\(directory.path)"
            devices_dir = "\(ProjectPaths.root)/devices"
            [[sensors]]
            id = "s"
            profile = "ds18b20"
            topic = "t/s"
            [traceability]
            issuer_name = "Farm"
            [[traceability.lots]]
            id = "urn:lot:1"
            name = "Lot"
            plot = "urn:plot:1"
            sensors = ["s"]
            """
        try directory.write(config, to: "sawah.toml")
        return (directory, directory.file("sawah.toml"), directory.file("identity.pem"))
    }

    @Test func aRotationCommittedBeforeTheInterruptionIsFinished() throws {
        let (directory, config, key) = try setUp()
        defer { directory.remove() }
        let old = try GatewayIdentity.create(at: key)
        let successor = try GatewayIdentity.create(at: key + ".new")
        let journal = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        _ = try journal.appendRotation(createdAt: 1_796_000_000_000) { number, previous in
            let bundle = try CertificateIssuer(identity: old).issueRotation(
                gatewayID: "gw", number: number, previous: previous.map { PreviousCertificate(id: $0.id, jws: $0.jws) },
                to: successor, createdAt: 1_796_000_000_000)
            return (bundle.certificateID, bundle.jws)
        }
        let sawah = try #require(ProjectPaths.executable("sawah"))
        let result = try ChildProcess.run(sawah, ["identity", "rotate", "--complete", "--config", config])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("completed the rotation of batch 1"))
        #expect(try GatewayIdentity.load(from: key).did == successor.did)
        #expect(FileManager.default.fileExists(atPath: key + ".retired-1"))
        #expect(!FileManager.default.fileExists(atPath: key + ".new"))
    }

    @Test func aRotationThatNeverReachedTheJournalIsUndone() throws {
        let (directory, config, key) = try setUp()
        defer { directory.remove() }
        let old = try GatewayIdentity.create(at: key)
        _ = try GatewayIdentity.create(at: key + ".new")
        _ = try Journal(path: directory.file("journal.sqlite"), durability: .process)
        let sawah = try #require(ProjectPaths.executable("sawah"))
        let result = try ChildProcess.run(sawah, ["identity", "rotate", "--complete", "--config", config])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("never reached the journal"))
        #expect(try GatewayIdentity.load(from: key).did == old.did)
        #expect(!FileManager.default.fileExists(atPath: key + ".new"))
        // And a plain rotate refuses while a pending key is left behind.
        _ = try GatewayIdentity.create(at: key + ".new")
        let refused = try ChildProcess.run(sawah, ["identity", "rotate", "--config", config])
        #expect(refused.status != 0)
        #expect(refused.output.contains("a rotation was interrupted"))
    }
}
