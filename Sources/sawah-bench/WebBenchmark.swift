import ArgumentParser
import Foundation
import SawahCore
import SawahJournal
import TestSupport

/// The status page's server (`sawah web`, run as its own process) on a journal holding a month
/// of a farm's readings: latency of each API request and its size, and the server's peak
/// memory. The plots are bucketed from the readings at each request (no rollup table, no time
/// index, so ingest writes nothing extra for the page); these figures are what that costs.
struct WebBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web", abstract: "Latency and size of the status page's API on a month of readings, and sawah web's peak RSS.")

    @Option(help: "Sensors on the farm (one reading each per interval).") var sensors = 20
    @Option(help: "Seconds between one sensor's readings.") var intervalSeconds = 60
    @Option(help: "Days of readings in the journal.") var days = 30
    @Option(help: "Requests timed per endpoint.") var requests = 15
    @Flag(help: "Keep the journal and config afterwards (their folder is printed).") var keep = false

    func run() throws {
        guard let sawah = ProjectPaths.executable("sawah") else { throw ValidationError("sawah is not built beside sawah-bench") }
        let directory = try TemporaryDirectory(prefix: "sawah-bench-web")
        defer { if keep { print("kept: \(directory.path)") } else { directory.remove() } }
        let port = 20_000 + Int(getpid() % 20_000)
        let sensorTables = (1...sensors).map { "[[sensors]]\nid = \"s\($0)\"\nprofile = \"ds18b20\"\ntopic = \"farm/s\($0)\"\n" }
        try directory.write(
            "[gateway]\nid = \"bench\"\ndata_dir = \"\(directory.path)\"\ndevices_dir = \"\(ProjectPaths.root)/devices\"\n"
                + sensorTables.joined() + "[web]\nport = \(port)\n", to: "sawah.toml")
        let config = try GatewayConfiguration.load(path: directory.file("sawah.toml"))
        let filled = Date()
        let count = try fill(config.journalPath)
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: config.journalPath))?[.size] as? Int64) ?? 0
        print(
            String(
                format: "sawah-bench web: %d sensors every %d s for %d days = %d readings, journal %.0f MB (filled in %.0f s)", sensors,
                intervalSeconds, days, count, Double(bytes) / 1e6, Date().timeIntervalSince(filled)))
        let server = try ChildProcess(executable: sawah, arguments: ["web", "--config", directory.file("sawah.toml")], outputPath: directory.file("web.log"))
        defer { server.signal(SIGTERM) }
        let deadline = Date().addingTimeInterval(20)
        while (try? Self.get(port: port, path: "/")) == nil {
            guard Date() < deadline else { throw ValidationError("sawah web did not start: \(directory.file("web.log"))") }
            usleep(100_000)
        }
        // The first request of a range computes its buckets; the next ones within a tenth of a
        // bucket's width are served from SeriesCache. /api/status is computed every time.
        for path in ["/api/status", "/api/series?range=24h", "/api/series?range=7d", "/api/series?range=30d"] {
            let first = DispatchTime.now().uptimeNanoseconds
            _ = try Self.get(port: port, path: path)
            let computed = Double(DispatchTime.now().uptimeNanoseconds - first) / 1e6
            var times: [Int64] = []
            var size = 0
            for _ in 0..<requests {
                let started = DispatchTime.now().uptimeNanoseconds
                size = try Self.get(port: port, path: path)
                times.append(Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000))
            }
            times.sort()
            print(
                String(
                    format: "%-22@ first %7.1f ms, then p50 %6.1f ms p95 %6.1f ms  %7d bytes", path as NSString, computed,
                    Double(percentile(times, 50)) / 1000, Double(percentile(times, 95)) / 1000, size))
        }
        let rss = ProcessMeasurements.peakRSS(pid: server.pid).map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "unknown"
        print("sawah web peak RSS: \(rss)")
    }

    /// Readings a farm of `sensors` makes over `days`, ending now, appended in large batches.
    func fill(_ path: String) throws -> Int {
        let journal = try Journal(path: path, durability: .process)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let steps = days * 86_400 / intervalSeconds
        var batch = IngestBatch()
        var total = 0
        for step in 0..<steps {
            let time = now - Int64(steps - step) * Int64(intervalSeconds) * 1000
            let hour = Double(time % 86_400_000) / 3_600_000
            for sensor in 1...sensors {
                let value = 27 + 1.5 * sin((hour - 12) / 24 * 2 * .pi) + Double(sensor) / 10
                batch.readings.append(
                    Reading(
                        sensor: "s\(sensor)", quantity: "soil_temperature", value: (value * 100).rounded() / 100, unit: "CEL", observedAt: time,
                        receivedAt: time + 200, source: "farm/s\(sensor)"))
            }
            if batch.readings.count >= 20_000 {
                total += batch.readings.count
                try journal.ingest.append(batch)
                batch = IngestBatch()
            }
        }
        total += batch.readings.count
        try journal.ingest.append(batch)
        return total
    }

    /// GETs `path` on loopback; the response's body size in bytes.
    static func get(port: Int, path: String) throws -> Int {
        let (status, bytes) = try LoopbackHTTP.get(port: port, path: path)
        guard status == 200 else { throw ValidationError("\(path): HTTP \(status)") }
        return bytes
    }
}
