import ArgumentParser
import Foundation
import SawahJournal
import TestSupport

/// Backlog catch-up: a journal with N readings sealed and nothing delivered, a reference
/// platform on loopback, and `sawahd` started to deliver everything to its EPCIS capture
/// interface and its credentials endpoint. Prints readings and batches delivered per second
/// and sawahd's peak RSS.
struct UplinkBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uplink", abstract: "Backlog delivered per second to a reference platform, and sawahd's peak RSS.")

    @Option(help: "Readings sealed and waiting.") var readings = 1_000_000
    @Option(help: "Readings per batch (seal_max_readings).") var batchSize = 5_000
    @Option(help: "Requests in flight per platform.") var concurrency = 2

    func run() throws {
        let platform = try PlatformProcess(arguments: [])
        defer { platform.remove() }
        let platforms = ["epcis": platform.baseURL, "credentials": platform.baseURL + "/credentials"].sorted { $0.key < $1.key }.map { kind, url in
            "[[platforms]]\nid = \"\(kind)-ref\"\nkind = \"\(kind)\"\nurl = \"\(url)\"\nconcurrency = \(concurrency)\n"
        }.joined(separator: "\n")
        print("sawah-bench uplink: filling and sealing a journal with \(readings) readings…")
        let fixture = try SealedJournalFixture(readings: readings, batchSize: batchSize, extraConfig: platforms)
        defer { fixture.directory.remove() }
        let batches = try fixture.sealAll(readings: readings).count
        guard let sawahd = ProjectPaths.executable("sawahd") else { throw ValidationError("sawahd is not built beside sawah-bench") }
        let daemon = DaemonProcess(executable: sawahd, arguments: ["--config", fixture.directory.file("sawah.toml")], logPath: fixture.directory.file("sawahd.log"))
        let reader = try JournalReader(path: fixture.config.journalPath)
        let clock = ContinuousClock()
        let begin = clock.now
        try daemon.start()
        var peak: Int64 = 0
        var done = false
        while !done && clock.now - begin < .seconds(600) {
            usleep(50_000)
            if let pid = daemon.pid, let rss = ProcessMeasurements.peakRSS(pid: pid) { peak = max(peak, rss) }
            let status = try reader.deliveryStatus(platforms: ["credentials-ref", "epcis-ref"], now: 0, windowMilliseconds: 0)
            done = status.allSatisfy { $0.delivered + $0.dead >= Int64(batches) }
        }
        let elapsed = clock.now - begin
        if let pid = daemon.pid, let rss = ProcessMeasurements.peakRSS(pid: pid) { peak = max(peak, rss) }
        _ = daemon.stop()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let status = try reader.deliveryStatus(platforms: ["credentials-ref", "epcis-ref"], now: 0, windowMilliseconds: 0)
        guard done else { throw ValidationError("not delivered within 600 s: \(status)\n\(daemon.log.suffix(2_000))") }
        let events = try platform.count("SELECT COUNT(*) FROM events")
        let certificates = try platform.count("SELECT COUNT(*) FROM certificates")
        let captures = try platform.count("SELECT COUNT(*) FROM captures")
        print(String(format: "delivered %d readings in %d batches to both platforms in %.2f s (from sawahd start): %.0f readings/s, %.1f batches/s",
                     readings, batches, seconds, Double(readings) / seconds, Double(batches) / seconds))
        print("platform holds \(events) events (\(captures) captures) and \(certificates) verified certificates; dead: \(status.map { "\($0.platform) \($0.dead)" }.joined(separator: ", "))")
        print(String(format: "sawahd peak RSS %.1f MB", Double(peak) / 1_048_576))
    }
}
