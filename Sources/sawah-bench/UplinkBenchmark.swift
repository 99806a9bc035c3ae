import ArgumentParser
import Foundation
import SawahJournal
import TestSupport

/// Backlog catch-up: a journal with N readings sealed and nothing delivered, a reference
/// platform on loopback, and the gateway started (`sawahd` and `sawah-uplink`) to deliver
/// everything to its EPCIS capture interface and its credentials endpoint. Prints readings and
/// batches delivered per second and both daemons' peak RSS.
struct UplinkBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink", abstract: "Backlog delivered per second to a reference platform, and sawahd's peak RSS.")

    @Option(help: "Readings sealed and waiting.") var readings = 1_000_000
    @Option(help: "Readings per batch (seal_max_readings).") var batchSize = 5_000
    @Option(help: "Requests in flight per platform.") var concurrency = 2
    @Flag(help: "Both platforms under a profile that makes derived copies (pseudonyms; hourly aggregates for the credentials platform).")
    var derived = false

    func run() throws {
        let platform = try PlatformProcess(arguments: [])
        defer { platform.remove() }
        let platforms = ["epcis": platform.baseURL, "credentials": platform.baseURL + "/credentials"].sorted { $0.key < $1.key }.map { kind, url in
            "[[platforms]]\nid = \"\(kind)-ref\"\nkind = \"\(kind)\"\nurl = \"\(url)\"\nconcurrency = \(concurrency)\n"
                + (derived ? "[platforms.disclosure]\ndevice_ids = \"pseudonym\"\n" + (kind == "credentials" ? "series = \"aggregate:1h\"\n" : "") : "")
        }.joined(separator: "\n")
        print("sawah-bench uplink: filling and sealing a journal with \(readings) readings…")
        let fixture = try SealedJournalFixture(readings: readings, batchSize: batchSize, extraConfig: platforms)
        defer { fixture.directory.remove() }
        let batches = try fixture.sealAll(readings: readings).count
        var daemons: [DaemonProcess] = []
        for name in ["sawahd", "sawah-uplink"] {
            guard let executable = ProjectPaths.executable(name) else { throw ValidationError("\(name) is not built beside sawah-bench") }
            daemons.append(
                DaemonProcess(
                    executable: executable, arguments: ["--config", fixture.directory.file("sawah.toml")], logPath: fixture.directory.file("\(name).log")))
        }
        let reader = try JournalReader(path: fixture.config.journalPath)
        let clock = ContinuousClock()
        let begin = clock.now
        for daemon in daemons { try daemon.start() }
        var peaks: [Int64] = [0, 0]
        func sample() {
            for (index, daemon) in daemons.enumerated() {
                if let pid = daemon.pid, let rss = ProcessMeasurements.peakRSS(pid: pid) { peaks[index] = max(peaks[index], rss) }
            }
        }
        var done = false
        while !done && clock.now - begin < .seconds(600) {
            usleep(50_000)
            sample()
            let status = try reader.deliveryStatus(platforms: ["credentials-ref", "epcis-ref"], now: 0, windowMilliseconds: 0)
            done = status.allSatisfy { $0.delivered + $0.dead >= Int64(batches) }
        }
        let elapsed = clock.now - begin
        sample()
        for daemon in daemons { _ = daemon.stop() }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let status = try reader.deliveryStatus(platforms: ["credentials-ref", "epcis-ref"], now: 0, windowMilliseconds: 0)
        guard done else { throw ValidationError("not delivered within 600 s: \(status)\n\(daemons[1].log.suffix(2_000))") }
        let events = try platform.count("SELECT COUNT(*) FROM events")
        let certificates = try platform.count("SELECT COUNT(*) FROM certificates") + platform.count("SELECT COUNT(*) FROM derived_certificates")
        let captures = try platform.count("SELECT COUNT(*) FROM captures")
        print(
            String(
                format: "delivered %d readings in %d batches to both platforms in %.2f s (from the daemons' start): %.0f readings/s, %.1f batches/s",
                readings, batches, seconds, Double(readings) / seconds, Double(batches) / seconds))
        print(
            "platform holds \(events) events (\(captures) captures) and \(certificates) verified \(derived ? "derived copies" : "certificates"); dead: \(status.map { "\($0.platform) \($0.dead)" }.joined(separator: ", "))"
        )
        print(String(format: "peak RSS: sawah-uplink %.1f MB, sawahd %.1f MB", Double(peaks[1]) / 1_048_576, Double(peaks[0]) / 1_048_576))
    }
}
