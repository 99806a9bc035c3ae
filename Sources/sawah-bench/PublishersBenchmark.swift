import ArgumentParser
import Foundation
import SawahJournal
import TestSupport

/// Ingest from many concurrent field nodes, each the standard command-line client
/// (`mosquitto_pub -q 1 -l`, one JSON message per line, three values each, as a BME280 node
/// sends them), against `mosquitto_sub -q 1` consuming the same load from the same broker.
/// Prints the rate ratio, sawahd's CPU per message, its peak RSS, and its idle CPU after.
struct PublishersBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publishers", abstract: "Many concurrent mosquitto_pub -l publishers: rate vs mosquitto_sub, CPU per message, peak RSS, idle CPU.")

    @Option(help: "Concurrent publishers (one node and sensor each).") var publishers = 8
    @Option(help: "Messages in all, shared among the publishers.") var messages = 80_000
    @Option(help: "Seconds of idle measured after the run.") var idleSeconds = 20

    func run() throws {
        guard let sawahd = ProjectPaths.executable("sawahd") else {
            throw ValidationError("sawahd is not built beside sawah-bench: run `swift build -c release` first")
        }
        let perPublisher = messages / publishers
        let total = perPublisher * publishers
        print("sawah-bench publishers: \(publishers) × mosquitto_pub -q 1 -l, \(perPublisher) messages each (3 values per message), broker on loopback")
        let directory = try TemporaryDirectory(prefix: "sawah-bench-pub")
        defer { directory.remove() }
        let files = try (0..<publishers).map { index in try Self.writeLines(index: index, count: perPublisher, in: directory) }
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }

        // Baseline: mosquitto_sub on the same topics and load.
        let sub = try ChildProcess(
            executable: "/usr/bin/mosquitto_sub",
            arguments: ["-p", String(broker.port), "-q", "1", "-t", "bench/+/bme", "-C", String(total), "-i", "bench-sub"],
            outputPath: directory.file("sub.out"))
        usleep(500_000)
        var start = Date()
        try Self.publishAll(files: files, port: broker.port, directory: directory)
        guard sub.wait(timeout: 600) == 0 else { throw ValidationError("mosquitto_sub did not receive \(total) messages") }
        let baseline = Double(total) / Date().timeIntervalSince(start)

        // sawahd, one bme280 sensor per publisher's topic.
        let sensors = (0..<publishers).map { "[[sensors]]\nid = \"bme\($0)\"\nprofile = \"bme280\"\ntopic = \"bench/\($0)/bme\"\n" }.joined(separator: "\n")
        let gateway = try GatewayHarness(broker: broker, durability: "process", sensors: sensors)
        defer { gateway.remove() }
        try gateway.start()
        guard let pid = gateway.daemon.pid else { throw ValidationError("sawahd did not start") }
        _ = sawahd
        let reader = try JournalReader(path: gateway.journalPath)
        usleep(500_000)
        let cpuBefore = Self.cpuNanoseconds(pid: pid)
        start = Date()
        try Self.publishAll(files: files, port: broker.port, directory: directory)
        let deadline = Date().addingTimeInterval(600)
        while try reader.lastSequence() < Int64(total * 3) {
            guard Date() < deadline else { throw ValidationError("sawahd stored \(try reader.lastSequence()) of \(total * 3) readings in 10 minutes") }
            usleep(5_000)
        }
        let rate = Double(total) / Date().timeIntervalSince(start)
        let cpu = Self.cpuNanoseconds(pid: pid) - cpuBefore
        let peak = ProcessMeasurements.peakRSS(pid: pid) ?? 0
        let quarantined = try reader.counts().quarantine

        let idleBefore = Self.cpuNanoseconds(pid: pid)
        let idleStart = Date()
        Thread.sleep(forTimeInterval: Double(idleSeconds))
        let idleShare = Double(Self.cpuNanoseconds(pid: pid) - idleBefore) / (Date().timeIntervalSince(idleStart) * 1e9)
        _ = gateway.daemon.stop()

        print(String(format: "mosquitto_sub (QoS 1)   %9.0f msg/s", baseline))
        print(
            String(
                format: "sawahd                  %9.0f msg/s (%.0f readings/s)  ratio %.2f  CPU %.1f µs/msg  peak RSS %.1f MB  quarantined %lld",
                rate, rate * 3, rate / baseline, Double(cpu) / 1_000 / Double(total), Double(peak) / 1_048_576, quarantined))
        print(String(format: "sawahd idle for %d s after the run: %.3f %% of a core", idleSeconds, idleShare * 100))
    }

    /// One publisher's lines: a BME280 node's JSON, values varying so no two are alike.
    static func writeLines(index: Int, count: Int, in directory: TemporaryDirectory) throws -> String {
        var text = ""
        text.reserveCapacity(count * 64)
        for n in 0..<count {
            let temperature = 20 + Double((n * 7 + index) % 150) / 10
            let humidity = 40 + Double((n * 13 + index) % 500) / 10
            let pressure = 990 + Double((n * 3 + index) % 400) / 10
            text += "{\"temperature\":\(temperature),\"humidity\":\(humidity),\"pressure\":\(pressure)}\n"
        }
        let name = "node\(index).lines"
        try directory.write(text, to: name)
        return directory.file(name)
    }

    /// Starts every publisher at once and waits for all of them to have sent (and, at QoS 1,
    /// had acknowledged) their lines.
    static func publishAll(files: [String], port: Int, directory: TemporaryDirectory) throws {
        let clients = try files.enumerated().map { index, file in
            try ChildProcess(
                executable: "/bin/sh",
                arguments: [
                    "-c", "exec /usr/bin/mosquitto_pub -p \(port) -q 1 -t bench/\(index)/bme -i node\(index)-\(UInt16.random(in: 0...9999)) -l < \(file)"
                ],
                outputPath: directory.file("pub\(index).out"))
        }
        for (index, client) in clients.enumerated() {
            guard client.wait(timeout: 600) == 0 else {
                let output = (try? String(contentsOfFile: directory.file("pub\(index).out"), encoding: .utf8)) ?? ""
                throw ValidationError("mosquitto_pub \(index) failed: \(output)")
            }
        }
    }

    /// CPU time of every thread of `pid` so far, in nanoseconds (the first field of each
    /// /proc/PID/task/TID/schedstat): finer than the clock ticks of /proc/PID/stat, which an
    /// idle daemon's few milliseconds would fall between.
    static func cpuNanoseconds(pid: Int32) -> Int64 {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { sum, tid in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/schedstat", encoding: .utf8)) ?? ""
            return sum + (Int64(stat.split(separator: " ").first ?? "") ?? 0)
        }
    }
}
