import ArgumentParser
import Foundation
import SawahJournal
import TestSupport

/// SD-card wear: bytes sawahd causes to be written per reading and per day, at a typical
/// farm's load (20 sensors reporting every 60 s, one message each, so one commit each) and at
/// 100 times that, for both durability settings. Writes are `write_bytes` of /proc/PID/io:
/// WAL frames, checkpoints into the database file, and anything else the process writes.
struct WearBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wear", abstract: "Bytes written to the card per reading and per day, at a farm's load and at 100x it.")

    @Option(help: "Sensors on the farm.") var sensors = 20
    @Option(help: "Seconds between one sensor's reports.") var intervalSeconds = 60.0
    @Option(help: "Seconds measured at the farm's load.") var seconds = 150.0
    @Option(help: "Seconds measured at 100x the load.") var busySeconds = 60.0
    @Option(help: "[mqtt] commit_delay_ms for sawahd.") var commitDelayMs = 20
    @Option(help: "[mqtt] commit_quiet_ms for sawahd.") var commitQuietMs = 2
    @Option(help: "Durability settings to measure, comma-separated.") var durabilities = "process,power"

    func run() throws {
        guard ProjectPaths.executable("sawahd") != nil else { throw ValidationError("sawahd is not built beside sawah-bench") }
        let rate = Double(sensors) / intervalSeconds
        print(
            String(
                format: "sawah-bench wear: %d sensors every %.0f s = %.2f messages/s (one reading each), and 100x that; commit_delay_ms %d, commit_quiet_ms %d",
                sensors, intervalSeconds, rate, commitDelayMs, commitQuietMs))
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        for (label, perSecond, duration) in [("farm", rate, seconds), ("100x", rate * 100, busySeconds)] {
            for durability in durabilities.split(separator: ",").map(String.init) {
                let (perReading, count) = try measure(broker: broker, durability: durability, perSecond: perSecond, seconds: duration)
                let perDay = perReading * perSecond * 86_400
                print(
                    String(
                        format: "%-4@ durability=%-7@ %6.0f bytes/reading  %7.1f MB/day  (%d readings over %.0f s)", label as NSString,
                        durability as NSString, perReading, perDay / 1_000_000, count, duration))
            }
        }
    }

    /// Bytes written per reading while `perSecond` messages a second arrive for `seconds`.
    func measure(broker: MosquittoBroker, durability: String, perSecond: Double, seconds: Double) throws -> (Double, Int) {
        let gateway = try GatewayHarness(
            broker: broker, durability: durability, extraConfig: "commit_delay_ms = \(commitDelayMs)\ncommit_quiet_ms = \(commitQuietMs)",
            sensors: "[[sensors]]\nid = \"counter\"\nprofile = \"test-counter\"\ntopic = \"test/counter\"\n")
        defer { gateway.remove() }
        try gateway.start()
        guard let pid = gateway.daemon.pid else { throw ValidationError("sawahd did not start") }
        let reader = try JournalReader(path: gateway.journalPath)
        let publisher = try FloodPublisher(port: broker.port)
        defer { publisher.close() }
        usleep(500_000)
        let before = ProcessMeasurements.bytesWritten(pid: pid) ?? 0
        let count = max(1, Int(perSecond * seconds))
        try publisher.publish(topic: "test/counter", first: 1, count: count, perSecond: perSecond)
        let deadline = Date().addingTimeInterval(60)
        while try reader.lastSequence() < Int64(count) && Date() < deadline { usleep(20_000) }
        // Let the last commit and any checkpoint the pass triggers land.
        usleep(1_500_000)
        let written = (ProcessMeasurements.bytesWritten(pid: pid) ?? 0) - before
        _ = gateway.daemon.stop()
        return (Double(written) / Double(count), count)
    }
}
