import ArgumentParser
import Foundation
import SawahJournal
import TestSupport

/// Ingest throughput of `sawahd` against `mosquitto_sub` on the same broker and load, per
/// durability setting, with publish-to-commit latency, peak RSS and bytes written per reading.
struct IngestBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "MQTT → journal throughput, latency, memory and disk writes.")

    @Option(help: "QoS 1 messages per throughput run.") var messages = 200_000
    @Option(help: "Messages in each paced latency run.") var latencyMessages = 20_000
    @Option(help: "Publish rate of the latency runs, messages per second.") var latencyRate: Double = 5_000

    func run() throws {
        guard let sawahd = ProjectPaths.executable("sawahd") else {
            throw ValidationError("sawahd is not built beside sawah-bench: run `swift build -c release` first")
        }
        print("sawah-bench ingest: \(messages) QoS 1 messages per run, release build, broker on loopback")
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }

        let baseline = try measureMosquittoSub(broker: broker)
        print(String(format: "mosquitto_sub (QoS 1)        %9.0f msg/s", baseline))
        for durability in ["process", "power"] {
            let result = try measureSawahd(executable: sawahd, broker: broker, durability: durability)
            let line = String(
                format:
                    "sawahd durability=%-8@ %9.0f readings/s  ratio %.2f  latency p50 %lld ms p99 %lld ms  peak RSS %.1f MB (%.1f MB idle, %.1f MB private dirty after the runs)  %.0f bytes written/reading  %.0f readings/commit",
                durability as NSString, result.rate, result.rate / baseline, result.p50, result.p99,
                Double(result.peakRSS) / 1_048_576, Double(result.idleRSS) / 1_048_576,
                Double(result.privateDirty) / 1_048_576, result.bytesPerReading,
                Double(messages + latencyMessages) / Double(max(result.commits, 1)))
            print(line)
        }
    }

    /// Messages per second that `mosquitto_sub -q 1` consumes.
    func measureMosquittoSub(broker: MosquittoBroker) throws -> Double {
        let directory = try TemporaryDirectory(prefix: "sawah-bench-sub")
        defer { directory.remove() }
        let sub = try ChildProcess(
            executable: "/usr/bin/mosquitto_sub",
            arguments: ["-p", String(broker.port), "-q", "1", "-t", "bench/sub", "-C", String(messages), "-i", "bench-sub"],
            outputPath: directory.file("out"))
        usleep(500_000)
        let publisher = try FloodPublisher(port: broker.port)
        defer { publisher.close() }
        let start = Date()
        try publisher.publish(topic: "bench/sub", first: 1, count: messages, perSecond: nil)
        guard sub.wait(timeout: 600) == 0 else { throw ValidationError("mosquitto_sub did not receive \(messages) messages") }
        return Double(messages) / Date().timeIntervalSince(start)
    }

    struct SawahdResult {
        var rate: Double
        var p50: Int64
        var p99: Int64
        var peakRSS: Int64
        var idleRSS: Int64
        var privateDirty: Int64
        var bytesPerReading: Double
        var commits: Int64
    }

    func measureSawahd(executable: String, broker: MosquittoBroker, durability: String) throws -> SawahdResult {
        let gateway = try GatewayHarness(
            broker: broker, durability: durability, extraConfig: "",
            sensors: """
                [[sensors]]
                id = "counter"
                profile = "test-counter"
                topic = "test/counter"
                """)
        defer { gateway.remove() }
        try gateway.start()
        guard let pid = gateway.daemon.pid else { throw ValidationError("sawahd did not start") }
        let reader = try JournalReader(path: gateway.journalPath)
        usleep(300_000)
        let idle = ProcessMeasurements.peakRSS(pid: pid) ?? 0
        let publisher = try FloodPublisher(port: broker.port)
        defer { publisher.close() }

        // Throughput: a flood, timed until the last reading is committed.
        let writtenBefore = ProcessMeasurements.bytesWritten(pid: pid) ?? 0
        let start = Date()
        try publisher.publish(topic: "test/counter", first: 1, count: messages, perSecond: nil)
        try waitForReadings(reader, count: Int64(messages))
        let rate = Double(messages) / Date().timeIntervalSince(start)
        let written = (ProcessMeasurements.bytesWritten(pid: pid) ?? 0) - writtenBefore

        // Latency: a paced stream below saturation, from the publish time in the payload to
        // the gateway's receive time, which is stamped just before the batch commits.
        let paced = Int64(messages)
        try publisher.publish(topic: "test/counter", first: messages + 1, count: latencyMessages, perSecond: latencyRate)
        try waitForReadings(reader, count: paced + Int64(latencyMessages))
        let latencies = try reader.readings(afterSeq: paced, limit: latencyMessages)
            .map { $0.reading.receivedAt - $0.reading.observedAt }.sorted()
        let peak = ProcessMeasurements.peakRSS(pid: pid) ?? 0
        let privateDirty = ProcessMeasurements.privateDirty(pid: pid) ?? 0
        _ = gateway.daemon.stop()
        // sawahd logs its totals when it stops: readings and commits give the mean batch.
        let commits =
            gateway.daemon.log.split(separator: "\n").last { $0.contains("MQTT ingest stopped") }
            .flatMap { line in line.split(separator: " ").first { $0.hasPrefix("commits=") } }
            .flatMap { Int64($0.dropFirst("commits=".count)) } ?? 0
        return SawahdResult(
            rate: rate, p50: percentile(latencies, 50), p99: percentile(latencies, 99), peakRSS: peak, idleRSS: idle, privateDirty: privateDirty,
            bytesPerReading: Double(written) / Double(messages), commits: commits)
    }

    func waitForReadings(_ reader: JournalReader, count: Int64) throws {
        let deadline = Date().addingTimeInterval(600)
        while try reader.lastSequence() < count {
            guard Date() < deadline else { throw ValidationError("sawahd stored fewer than \(count) readings in 10 minutes") }
            usleep(5_000)
        }
    }
}
