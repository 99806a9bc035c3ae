import Foundation
import Testing
import TestSupport
@testable import SawahJournal

/// sawahd delivers every sealed batch to real platforms over loopback HTTP, through outages,
/// crashes, small capture limits and refusals, and each platform holds each batch once.
@Suite(.serialized) struct UplinkEndToEndTests {
    /// Two `[[platforms]]` on one reference platform: its EPCIS capture and its credentials endpoint.
    static func platforms(_ platform: PlatformProcess, extra: String = "") -> String {
        """
        [[platforms]]
        id = "epcis-ref"
        kind = "epcis"
        url = "\(platform.baseURL)"
        request_timeout_seconds = 2
        retry_initial_seconds = 0.1
        retry_max_seconds = 1
        \(extra)

        [[platforms]]
        id = "credentials-ref"
        kind = "credentials"
        url = "\(platform.baseURL)/credentials"
        request_timeout_seconds = 2
        retry_initial_seconds = 0.1
        retry_max_seconds = 1
        \(extra)
        """
    }

    /// Waits until no delivery to any platform is pending; returns the final figures.
    static func waitForDeliveries(_ journal: String, platforms: [String], batches: Int, timeout: TimeInterval = 60) throws -> [PlatformDeliveryStatus] {
        let reader = try JournalReader(path: journal)
        let deadline = Date().addingTimeInterval(timeout)
        var status: [PlatformDeliveryStatus] = []
        repeat {
            status = (try? reader.deliveryStatus(platforms: platforms, now: Clock.nowMilliseconds(), windowMilliseconds: 60_000)) ?? []
            if status.count == platforms.count && status.allSatisfy({ $0.delivered + $0.dead >= Int64(batches) && $0.backlog == 0 }) { break }
            usleep(200_000)
        } while Date() < deadline
        return status
    }

    static func gateway(_ broker: MosquittoBroker, platforms: String, maxReadings: Int = 100) throws -> GatewayHarness {
        let gateway = try GatewayHarness(broker: broker, traceability: GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: maxReadings) + "\n" + platforms)
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
        try CertificatesEndToEndTests.publish(1_500, to: broker)
        let batches = try CertificatesEndToEndTests.waitForSealed(gateway.journalPath, readings: 1_500)
        let status = try Self.waitForDeliveries(gateway.journalPath, platforms: ["epcis-ref", "credentials-ref"], batches: batches.count)
        #expect(gateway.daemon.stop() == 0)
        print("uplink outage: \(batches.count) batches; \(status.map { "\($0.platform): delivered \($0.delivered) dead \($0.dead)" })")
        for platformStatus in status {
            #expect(platformStatus.delivered == Int64(batches.count), "\(platformStatus)")
            #expect(platformStatus.dead == 0, "\(platformStatus.lastError ?? "")")
        }
        // Each batch's one event and its certificate are at the platform exactly once.
        let eventIDs = Set(batches.flatMap { batch in
            (try? JSONSerialization.jsonObject(with: Data(batch.epcis)) as? [String: Any]).flatMap { ($0["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]] }?.compactMap { $0["eventID"] as? String } ?? []
        })
        #expect(eventIDs.count == batches.count)
        #expect(try platform.count("SELECT COUNT(*) FROM events") == batches.count)
        #expect(try platform.count("SELECT COUNT(DISTINCT event_id) FROM events") == batches.count)
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == batches.count)
        #expect(try platform.count("SELECT COUNT(*) FROM certificates WHERE linked = 0 AND number > 1") == 0, "the whole chain links up at the platform")
        for fault in ["503", "500", "timeout", "reset"] {
            #expect(try platform.counter("fault_" + fault) > 0, "the platform served \(fault) faults")
        }
        let resent = try platform.counter("duplicate_events") + platform.counter("duplicate_certificates")
        print("uplink outage: platform counted \(resent) resends of data it already had (answers lost to timeouts and resets)")
        #expect(resent > 0, "timeouts and resets after storing make the gateway resend, and the platform recognises it")
    }
}
