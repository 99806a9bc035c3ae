import Foundation
import Logging
import SawahSystem
import TestSupport
import Testing

@testable import SawahGateway
@testable import SawahSQLite

/// sawahd's watchdog driven by pipeline progress over a real notify socket, and the unit files
/// checked by systemd's own tools. (The notifier and watchdog alone: SawahSystemTests.)
@Suite(.serialized) struct SystemdIntegrationTests {
    @Test func sawahdSignalsReadyPingsWhileHealthyStopsPingingWhenStalledAndSaysStopping() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker)
        defer { gateway.remove() }
        let socket = try NotifySocket()
        gateway.daemon.environment = ["NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "1000000"]
        try gateway.daemon.start()
        #expect(socket.waitFor("READY=1", timeout: 10) != nil, "READY=1 after subscribing; log:\n\(gateway.daemon.log)")
        let healthy = socket.drain(for: 2)
        #expect(healthy.filter { $0 == "WATCHDOG=1" }.count >= 2, "\(healthy)")

        // Stall the pipeline: another connection holds the journal's write lock, and a message
        // arrives that cannot be committed.
        let blocker = try SQLiteConnection(path: gateway.journalPath)
        try blocker.execute("BEGIN EXCLUSIVE")
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        try publisher.publish(topic: "test/counter", payload: "{\"seq\": 1}", key: 1)
        _ = socket.drain(for: 2.5)
        let stalled = socket.drain(for: 3)
        #expect(!stalled.contains("WATCHDOG=1"), "no pings while the commit is stuck: \(stalled)")
        #expect(gateway.daemon.log.contains("ingest pipeline stalled"))

        try blocker.execute("ROLLBACK")
        #expect(socket.waitFor("WATCHDOG=1", timeout: 15) != nil, "pings resume once the pipeline moves")
        #expect(gateway.daemon.stop() == 0)
        #expect(socket.drain(for: 0.5).contains("STOPPING=1"))
    }

    @Test(arguments: ["sawahd", "sawah-uplink", "sawah-metrics", "sawah-web"])
    func theUnitPassesSystemdAnalyzeAndScoresWell(daemon: String) throws {
        let analyze = "/usr/bin/systemd-analyze"
        #expect(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is needed (apt-get install systemd)")
        let program = daemon.hasPrefix("sawah-") && daemon != "sawah-uplink" ? "sawah" : daemon
        let executable = try #require(ProjectPaths.executable(program))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let unit = try String(contentsOfFile: ProjectPaths.root + "/systemd/\(daemon).service", encoding: .utf8)
            .replacingOccurrences(of: "/usr/bin/\(program) ", with: executable + " ")
        try directory.write(unit, to: "\(daemon).service")
        let verify = try ChildProcess.run(analyze, ["verify", directory.file("\(daemon).service")])
        #expect(verify.status == 0, "\(verify.output)")
        let security = try ChildProcess.run(analyze, ["security", "--offline=true", directory.file("\(daemon).service")])
        let line = security.output.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first ?? 10
        print("\(daemon).service: \(line)")
        #expect(score <= 2.0, "\(line)")
        #expect(["sawah-metrics", "sawah-web"].contains(daemon) || unit.contains("Type=notify"))
        #expect(unit.contains("MemoryMax=") && unit.contains("TasksMax="), "every unit bounds its memory and tasks")
        #expect(daemon != "sawahd" || unit.contains("WatchdogSec="))
    }
}
