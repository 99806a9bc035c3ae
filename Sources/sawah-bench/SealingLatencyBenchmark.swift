import ArgumentParser
import Foundation
import SawahJournal
import TestSupport

/// Publish-to-commit latency while certificates are sealed: a paced QoS 1 stream into sawahd
/// while its sealer works through a backlog of 5,000-reading batches (of a second lot, filled
/// before the start) and retention runs every second. Before sealing moved out of the writer's
/// lock, every batch held ingest, and the PUBACKs, for as long as it took to build and sign.
struct SealingLatencyBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal-latency",
        abstract: "Ingest latency while 5,000-reading batches are sealed and retention runs.")

    @Option(help: "Publish rate, messages per second.") var rate: Double = 2_000
    @Option(help: "Seconds of paced publishing.") var seconds = 15
    @Option(help: "Readings per batch (seal_max_readings).") var batchSize = 5_000
    @Option(help: "Backlog of unsealed readings in the second lot at the start.") var backlog = 400_000

    func run() throws {
        guard ProjectPaths.executable("sawahd") != nil else { throw ValidationError("sawahd is not built beside sawah-bench") }
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(
            broker: broker,
            sensors: """
                [[sensors]]
                id = "counter"
                profile = "test-counter"
                topic = "test/counter"
                [[sensors]]
                id = "bulk"
                profile = "ds18b20"
                topic = "test/bulk"
                """,
            traceability: """
                [traceability]
                issuer_name = "Sawah bench farm"
                seal_interval_seconds = 1
                seal_max_readings = \(batchSize)
                [[traceability.lots]]
                id = "urn:sawah:bench:lot:stream"
                name = "Stream"
                plot = "urn:sawah:bench:plot:1"
                sensors = ["counter"]
                [[traceability.lots]]
                id = "urn:sawah:bench:lot:backlog"
                name = "Backlog"
                plot = "urn:sawah:bench:plot:2"
                sensors = ["bulk"]
                [retention]
                check_interval_seconds = 1
                """)
        defer { gateway.remove() }
        guard try gateway.sawah(["identity", "create", "--config", gateway.configPath]).status == 0 else {
            throw ValidationError("sawah identity create failed")
        }
        // sawahd makes the journal with its own schema; the backlog is written into it while
        // it is stopped, with SQL any schema version takes (so an older sawahd can be measured).
        try gateway.start()
        _ = gateway.daemon.stop()
        try fillBacklog(gateway.journalPath)
        try gateway.start()
        let reader = try JournalReader(path: gateway.journalPath)
        let sealedBefore = try reader.batches().count
        let publisher = try FloodPublisher(port: broker.port)
        defer { publisher.close() }
        let first = try reader.lastSequence()
        let count = Int(rate) * seconds
        try publisher.publish(topic: "test/counter", first: 1, count: count, perSecond: rate)
        let deadline = Date().addingTimeInterval(120)
        while try reader.lastSequence() < first + Int64(count), Date() < deadline { usleep(10_000) }
        let sealedDuring = try reader.batches().count - sealedBefore
        _ = gateway.daemon.stop()
        let stream = try reader.readings(afterSeq: first, limit: count + 1_000)
        let latencies = stream.map { $0.reading.receivedAt - $0.reading.observedAt }.sorted()
        let values = Set(stream.map { Int($0.reading.value) })
        let distinct = values.count
        let missing = (1...count).filter { !values.contains($0) }
        if !missing.isEmpty { print("missing messages: \(missing.count), first \(missing.prefix(5)), last \(missing.suffix(3))") }
        print(
            "stream: \(stream.count) readings after seq \(first), \(distinct) distinct messages, seq \(stream.first?.seq ?? -1)…\(stream.last?.seq ?? -1), last sequence \(try reader.lastSequence())"
        )
        print(
            String(
                format:
                    "seal-latency: %d QoS 1 messages at %.0f/s while %d batches were sealed (%d-reading backlog, batches of %d, retention every 1 s): publish→commit p50 %lld ms, p99 %lld ms, max %lld ms",
                latencies.count, rate, sealedDuring, backlog, batchSize, percentile(latencies, 50), percentile(latencies, 99), latencies.last ?? -1))
        // What went wrong meanwhile, if anything (a failed commit costs a redelivery and latency).
        for line in gateway.daemon.log.split(separator: "\n") where line.contains(" error ") || line.contains(" warning ") { print("  sawahd: \(line)") }
    }

    /// The second lot's unsealed readings, written while sawahd is stopped.
    func fillBacklog(_ path: String) throws {
        guard backlog > 0 else { return }
        let start = Int64(Date().timeIntervalSince1970 * 1000) - Int64(backlog) * 100
        let sql = """
            INSERT INTO series (sensor, quantity, unit, source) VALUES ('bulk', 'soil_temperature', 'CEL', 'test/bulk');
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(backlog - 1))
            INSERT INTO readings (series, value, observed_at, received_at, quality)
                SELECT (SELECT id FROM series WHERE sensor = 'bulk'), 25 + (i % 100) / 100.0, \(start) + i * 100, \(start) + i * 100, 0 FROM n;
            """
        let result = try ChildProcess.run("/usr/bin/sqlite3", [path, sql])
        guard result.status == 0 else { throw ValidationError("filling the backlog failed: \(result.output)") }
    }
}
