import Foundation
import TestSupport
import Testing

@testable import SawahJournal

/// sawah-uplink delivers every batch sawahd seals to real platforms over loopback HTTP, through outages,
/// crashes, small capture limits and refusals, and each platform holds each batch once.
@Suite(.serialized) struct UplinkEndToEndTests {
    /// Two `[[platforms]]` on one reference platform: its EPCIS capture and its credentials endpoint.
    static func platforms(_ platform: PlatformProcess, extra: String = "") -> String {
        Self.platform(id: "epcis-ref", url: platform.baseURL, extra: extra) + "\n\n"
            + Self.platform(id: "credentials-ref", url: platform.baseURL + "/credentials", kind: "credentials", extra: extra)
    }

    /// Waits until no delivery to any platform is pending; returns the final figures.
    static func waitForDeliveries(
        _ journal: String, platforms: [String], batches: Int, timeout: TimeInterval = 60, claims: Bool = false
    ) throws -> [PlatformDeliveryStatus] {
        let reader = try JournalReader(path: journal)
        let deadline = Date().addingTimeInterval(timeout)
        var status: [PlatformDeliveryStatus] = []
        repeat {
            status =
                (try? reader.deliveryStatus(
                    platforms: platforms, now: Clock.nowMilliseconds(), windowMilliseconds: 60_000, claimsPlatforms: claims ? Set(platforms) : [])) ?? []
            if status.count == platforms.count && status.allSatisfy({ $0.delivered + $0.dead >= Int64(batches) && $0.backlog == 0 }) { break }
            usleep(200_000)
        } while Date() < deadline
        return status
    }

    static func gateway(_ broker: MosquittoBroker, platforms: String, maxReadings: Int = 100) throws -> GatewayHarness {
        let gateway = try GatewayHarness(
            broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: maxReadings) + "\n" + platforms)
        let created = try gateway.sawah(["identity", "create", "--config", gateway.configPath])
        #expect(created.status == 0, "\(created.output)")
        return gateway
    }

    @Test func anOutageOf503s500sTimeoutsAndResetsEndsWithEveryBatchDeliveredOnce() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let platform = try PlatformProcess(arguments: ["--faults", "503,500,timeout,reset", "--fault-count", "16", "--timeout-seconds", "4"])
        defer { platform.remove() }
        let gateway = try Self.gateway(broker, platforms: Self.platforms(platform))
        defer { gateway.remove() }
        try gateway.start()
        try gateway.startUplink()
        try CertificatesEndToEndTests.publish(1_500, to: broker)
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 1_500)
        let status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: batches.count)
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)
        print("uplink outage: \(batches.count) batches; \(status.map { "\($0.platform): delivered \($0.delivered) dead \($0.dead)" })")
        for platformStatus in status {
            #expect(platformStatus.delivered == Int64(batches.count), "\(platformStatus)")
            #expect(platformStatus.dead == 0, "\(platformStatus.lastError ?? "")")
        }
        // Each batch's one event and its certificate are at the platform exactly once.
        let eventIDs = Set(
            batches.flatMap { batch in
                (try? JSONSerialization.jsonObject(with: Data(batch.epcis)) as? [String: Any]).flatMap {
                    ($0["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]]
                }?.compactMap { $0["eventID"] as? String } ?? []
            })
        #expect(eventIDs.count == batches.count)
        #expect(try platform.count("SELECT COUNT(*) FROM events") == batches.count)
        #expect(try platform.count("SELECT COUNT(DISTINCT event_id) FROM events") == batches.count)
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == batches.count)
        #expect(
            try platform.count("SELECT COUNT(*) FROM held_certificates") == 0,
            "the whole chain links up at the platform: nothing left waiting for a predecessor")
        for fault in ["503", "500", "timeout", "reset"] {
            #expect(try platform.counter("fault_" + fault) > 0, "the platform served \(fault) faults")
        }
        let resent = try platform.counter("duplicate_events") + platform.counter("duplicate_certificates")
        print("uplink outage: platform counted \(resent) resends of data it already had (answers lost to timeouts and resets)")
        #expect(resent > 0, "timeouts and resets after storing make the gateway resend, and the platform recognises it")
    }

    static func platform(id: String, url: String, kind: String = "epcis", extra: String = "") -> String {
        """
        [[platforms]]
        id = "\(id)"
        kind = "\(kind)"
        url = "\(url)"
        request_timeout_seconds = 2
        retry_initial_seconds = 0.1
        retry_max_seconds = 1
        \(extra)
        """
    }

    @Test func capturesFitTheAdvertisedLimitsAndA413TeachesTheHiddenOnes() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let advertised = try PlatformProcess(arguments: ["--capture-limit", "10", "--file-size-limit", "8000"], start: false)
        defer { advertised.remove() }
        let hidden = try PlatformProcess(arguments: ["--capture-limit", "10", "--hide-limits"], start: false)
        defer { hidden.remove() }
        let gateway = try Self.gateway(
            broker, platforms: Self.platform(id: "advertised", url: advertised.baseURL) + "\n" + Self.platform(id: "hidden", url: hidden.baseURL))
        defer { gateway.remove() }
        try gateway.start()
        try gateway.startUplink()
        // Both platforms are down while 30 batches are sealed, so they queue up.
        try CertificatesEndToEndTests.publish(3_000, to: broker)
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 3_000)
        try advertised.start()
        try hidden.start()
        let status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["advertised", "hidden"], batches: batches.count)
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)
        #expect(!status.isEmpty && status.allSatisfy { $0.delivered == Int64(batches.count) && $0.dead == 0 }, "\(status)")
        let captures = (try advertised.count("SELECT COUNT(*) FROM captures"), try hidden.count("SELECT COUNT(*) FROM captures"))
        print(
            "capture limits: \(batches.count) batches; advertised platform: \(captures.0) captures, max \(try advertised.count("SELECT MAX(events) FROM captures")) events, max \(try advertised.count("SELECT MAX(bytes) FROM captures")) bytes; hidden: \(captures.1) captures, \(try hidden.counter("too_large")) answered 413"
        )
        for platform in [advertised, hidden] {
            #expect(try platform.count("SELECT COUNT(*) FROM events") == batches.count)
            #expect(try platform.count("SELECT MAX(events) FROM captures") <= 10)
        }
        #expect(try advertised.count("SELECT MAX(bytes) FROM captures") <= 8_000)
        #expect(try advertised.counter("too_large") == 0, "nothing over the advertised limits was sent")
        #expect(try advertised.count("SELECT MAX(events) FROM captures") > 1, "batches queued while the platform was down go several to a capture")
        #expect(try hidden.counter("too_large") > 0, "the platform that hid its limit answered 413 and the gateway split")
    }

    @Test func aRefusedBatchWaitsInTheDeadLetterStateWithTheReasonUntilRequeued() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let refusing = try PlatformProcess(arguments: ["--reject-status", "400"])
        let gateway = try Self.gateway(broker, platforms: Self.platforms(refusing))
        defer { gateway.remove() }
        try gateway.start()
        try gateway.startUplink()
        try CertificatesEndToEndTests.publish(300, to: broker)
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 300)
        var status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: batches.count)
        #expect(!status.isEmpty && status.allSatisfy { $0.dead == Int64(batches.count) && $0.delivered == 0 }, "\(status)")
        let shown = try gateway.sawah(["status", "--config", gateway.configPath])
        #expect(shown.output.contains("credentials-ref: 0 delivered, 0 pending, \(batches.count) dead"), "\(shown.output)")
        #expect(shown.output.contains("HTTP 400: Refused by the platform: this platform was started with --reject-status 400"), "\(shown.output)")
        let listed = try gateway.sawah(["uplink", "list", "--config", gateway.configPath])
        #expect(listed.output.contains("batch 1  epcis-ref  dead  attempts 1"), "\(listed.output)")
        #expect(try refusing.count("SELECT COUNT(*) FROM events") == 0)
        #expect(
            try gateway.sawah(["uplink", "retry", "--all-dead", "--platform", "nowhere", "--config", gateway.configPath]).status != 0,
            "requeueing nothing says so")

        // The platform is fixed (same address); the operator requeues; everything arrives.
        refusing.stop()
        let fixed = try PlatformProcess(port: refusing.port)
        defer {
            fixed.remove()
            refusing.remove()
        }
        let retried = try gateway.sawah(["uplink", "retry", "--all-dead", "--config", gateway.configPath])
        #expect(retried.status == 0 && retried.output.contains("requeued \(2 * batches.count) dead deliveries"), "\(retried.output)")
        status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: batches.count)
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)
        #expect(!status.isEmpty && status.allSatisfy { $0.delivered == Int64(batches.count) && $0.dead == 0 }, "\(status)")
        #expect(try fixed.count("SELECT COUNT(*) FROM events") == batches.count)
        #expect(try fixed.count("SELECT COUNT(*) FROM certificates") == batches.count)
    }

    /// Both daemons die at the same random instant, as in a power cut or a crash of the board.
    @Test func killingTheGatewayDuringUploadsLosesAndDuplicatesNothingAtThePlatform() throws {
        let kills = Int(ProcessInfo.processInfo.environment["SAWAH_UPLINK_KILLS"] ?? "") ?? 20
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let platform = try PlatformProcess(arguments: ["--latency-ms", "150"])
        defer { platform.remove() }
        let gateway = try Self.gateway(broker, platforms: Self.platforms(platform), maxReadings: 40)
        defer { gateway.remove() }
        // The first start makes the gateway's persistent session; the broker then keeps what
        // is published for it across every kill.
        try gateway.start()
        try CertificatesEndToEndTests.publish(4_000, to: broker)
        var delivered: [Int] = []
        for kill in 0..<kills {
            if kill > 0 { try gateway.start() }
            try gateway.startUplink()
            usleep(UInt32.random(in: 150_000...600_000))
            gateway.uplink.kill9()
            gateway.daemon.kill9()
            delivered.append(try platform.count("SELECT COUNT(*) FROM certificates"))
        }
        try gateway.start()
        try gateway.startUplink()
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 4_000, timeout: 60)
        let status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: batches.count, timeout: 120)
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)
        print(
            "uplink crash test: \(kills) kills; certificates at the platform after each kill \(delivered); \(batches.count) batches; resends recognised: \(try platform.counter("duplicate_events")) events, \(try platform.counter("duplicate_certificates")) certificates"
        )
        #expect(delivered.filter { $0 < batches.count }.count >= kills / 2, "most kills fell while uploads were under way")
        #expect(!status.isEmpty && status.allSatisfy { $0.delivered == Int64(batches.count) && $0.dead == 0 }, "\(status)")
        #expect(batches.reduce(0) { $0 + $1.readingCount } == 4_000)
        #expect(try platform.count("SELECT COUNT(*) FROM events") == batches.count, "every batch's event once")
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == batches.count, "every certificate once")
        #expect(try platform.count("SELECT COUNT(*) FROM held_certificates") == 0)
    }

    @Test func mutualTLSDeliversWithTheProvisionedGatewayCertificate() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let pki = try TemporaryDirectory(prefix: "sawah-pki")
        defer { pki.remove() }
        let certificates = try TestCertificates(in: pki, name: "platform")
        let platform = try PlatformProcess(
            arguments: [
                "--tls-cert", certificates.serverCertFile, "--tls-key", certificates.serverKeyFile,
                "--client-ca", certificates.caFile
            ], tls: true)
        defer { platform.remove() }
        let tls = "ca_file = \"\(certificates.caFile)\"\nclient_certificate = true"
        let gateway = try Self.gateway(broker, platforms: Self.platforms(platform, extra: tls))
        defer { gateway.remove() }
        // Before its certificate is installed the gateway's config is refused up front.
        let check = try ChildProcess.run(ProjectPaths.executable("sawah-uplink")!, ["--check-config", gateway.configPath])
        #expect(check.status == 78, "\(check.output)")
        #expect(check.output.contains("client_certificate: cannot load the gateway's key"), "\(check.output)")
        let csr = gateway.directory.file("gateway.csr")
        #expect(try gateway.sawah(["identity", "csr", "--config", gateway.configPath, "-o", csr]).status == 0)
        let chain = try certificates.signClient(csr: csr, into: pki, name: "gateway")
        let installed = try gateway.sawah(["identity", "install-cert", "--config", gateway.configPath, chain])
        #expect(installed.status == 0, "\(installed.output)")
        #expect(try ChildProcess.run(ProjectPaths.executable("sawah-uplink")!, ["--check-config", gateway.configPath]).status == 0)
        try gateway.start()
        try gateway.startUplink()
        try CertificatesEndToEndTests.publish(300, to: broker)
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 300)
        let status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: batches.count)
        #expect(gateway.uplink.stop() == 0)
        #expect(gateway.daemon.stop() == 0)
        #expect(!status.isEmpty && status.allSatisfy { $0.delivered == Int64(batches.count) && $0.dead == 0 }, "\(status)")
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == batches.count)
    }
}
