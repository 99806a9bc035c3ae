import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahJournal

/// The optional Prometheus endpoint, scraped over real HTTP on loopback.
@Suite(.serialized) struct MetricsEndpointTests {
    /// A gateway config with the counter sensor and metrics on `port`.
    static func gateway(_ broker: MosquittoBroker, port: Int) throws -> GatewayHarness {
        try GatewayHarness(
            broker: broker,
            sensors: """
                [[sensors]]
                id = "counter"
                profile = "test-counter"
                topic = "test/counter"

                [metrics]
                port = \(port)
                """)
    }

    /// `sawah metrics serve` for the gateway's config, started.
    static func serveMetrics(_ gateway: GatewayHarness) throws -> DaemonProcess {
        let sawah = try #require(ProjectPaths.executable("sawah"))
        let metrics = DaemonProcess(
            executable: sawah, arguments: ["metrics", "serve", "--config", gateway.configPath],
            logPath: gateway.directory.file("metrics.log"))
        try metrics.start()
        return metrics
    }

    /// The first answer from /metrics, trying for up to 5 s while the server starts.
    static func scrape(port: Int) -> (status: Int, body: String)? {
        for _ in 0..<50 {
            if let answer = httpGet(port: port, path: "/metrics") { return answer }
            usleep(100_000)
        }
        return nil
    }

    @Test func metricsMatchTheJournal() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let port = try freeLoopbackPort()
        let gateway = try Self.gateway(broker, port: port)
        defer { gateway.remove() }
        try gateway.start()
        let metrics = try Self.serveMetrics(gateway)
        defer { _ = metrics.stop() }
        try CertificatesEndToEndTests.publish(300, to: broker)
        let reader = try JournalReader(path: gateway.journalPath)
        let deadline = Date().addingTimeInterval(10)
        while try reader.lastSequence() < 300, Date() < deadline { usleep(50_000) }
        let response = try #require(Self.scrape(port: port), "no answer on 127.0.0.1:\(port)/metrics; log:\n\(metrics.log)")
        #expect(response.status == 200)
        #expect(response.body.contains("sawah_journal_readings 300"), "\(response.body)")
        #expect(response.body.contains("# TYPE sawah_readings_stored_total counter\nsawah_readings_stored_total 300"), "\(response.body)")
        #expect(response.body.contains("# TYPE sawah_quarantined_total counter"))
        // Every _total is a counter, every counter a _total.
        let types = response.body.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ") }
        #expect(types.allSatisfy { ($0[2].hasSuffix("_total")) == ($0[3] == "counter") }, "\(types)")
        // The shipped Grafana dashboard queries only metrics the endpoint exports.
        let exported = Set(types.map { String($0[2]) })
        let dashboard = try String(contentsOfFile: ProjectPaths.root + "/dashboards/grafana/sawah-gateway.json", encoding: .utf8)
        let queried = Set(
            dashboard.split(separator: "\"").filter { $0.hasPrefix("sawah_") || $0.contains("(sawah_") }.flatMap { expression in
                expression.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).filter { $0.hasPrefix("sawah_") }.map(String.init)
            })
        #expect(!queried.isEmpty && queried.isSubset(of: exported), "queried but not exported: \(queried.subtracting(exported).sorted())")
        #expect(response.body.contains("# TYPE sawah_free_disk_bytes gauge"))
        // The clock's state as this machine's kernel has it (a VM's is often "unsynchronised").
        #expect(response.body.contains("sawah_clock_synchronized \(ClockSync.read().synchronized ? 1 : 0)"), "\(response.body)")
        #expect(httpGet(port: port, path: "/nothing")?.status == 404)
        #expect(gateway.daemon.stop() == 0)
        #expect(metrics.stop() == 0, "SIGTERM ends the metrics server cleanly")
    }

    /// A journal that cannot be read fails the scrape with the reason (503, which Prometheus
    /// records as `up 0`); no figures are served as if they were current.
    @Test func anUnreadableJournalFailsTheScrape() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let port = try freeLoopbackPort()
        let gateway = try Self.gateway(broker, port: port)
        defer { gateway.remove() }
        try FileManager.default.createDirectory(atPath: (gateway.journalPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: gateway.journalPath))
        let metrics = try Self.serveMetrics(gateway)
        defer { _ = metrics.stop() }
        let response = try #require(Self.scrape(port: port), "no answer; log:\n\(metrics.log)")
        #expect(response.status == 503, "\(response)")
        #expect(response.body.contains("cannot read the journal") && !response.body.contains("sawah_journal_readings"), "\(response.body)")
        #expect(metrics.stop() == 0)
        #expect(metrics.log.contains("metrics scrape failed"), "\(metrics.log)")
    }
}
