import Foundation

/// A `sawahd` under test: a temporary data folder, a device library (the project's profiles
/// plus a `test-counter` profile whose value is the message number), a generated config
/// pointing at a real broker, and the daemon as a subprocess.
public final class GatewayHarness: @unchecked Sendable {
    // @unchecked Sendable: only the test that owns the harness calls it, one step at a time.
    public let directory: TemporaryDirectory
    public let broker: MosquittoBroker
    public let daemon: DaemonProcess
    /// `sawah-uplink` on the same config, started by `startUplink()` for tests with platforms.
    public let uplink: DaemonProcess
    public let gatewayID: String

    /// The profile every crash and throughput test uses: one quantity, `seq`, read from the
    /// payload's `seq` field, so each stored reading names the message it came from.
    public static let counterProfile = """
        model = "Test counter"
        manufacturer = "Sawah tests"
        category = "message counter"
        decoder = "json"
        time_field = "time"

        [[quantities]]
        name = "seq"
        unit = "C62"
        min = 0.0
        max = 1.0e12
        field = "seq"
        """

    /// `mqtt` replaces the whole `[mqtt]` table (for TLS and credentials tests). `clock` is
    /// "trusted" unless a test is about the clock: the test machines' clocks are kept by their
    /// hypervisor, and their kernels report them unsynchronised (see README, "A clock without
    /// an RTC"), which would flag every reading.
    public init(
        broker: MosquittoBroker, durability: String = "process", extraConfig: String = "", sensors: String? = nil, mqtt: String? = nil,
        traceability: String = "", clock: String = "trusted"
    ) throws {
        guard let executable = ProjectPaths.executable("sawahd") else {
            throw HarnessError.notBuilt("sawahd")
        }
        self.broker = broker
        directory = try TemporaryDirectory(prefix: "sawah-gateway")
        gatewayID = "test-gw-\(UInt16.random(in: 0...UInt16.max))"
        let devices = directory.file("devices")
        try FileManager.default.copyItem(atPath: ProjectPaths.root + "/devices", toPath: devices)
        try FileManager.default.createDirectory(atPath: devices + "/test-counter", withIntermediateDirectories: true)
        try Self.counterProfile.write(toFile: devices + "/test-counter/profile.toml", atomically: true, encoding: .utf8)
        let sensorBlock =
            sensors ?? """
                [[sensors]]
                id = "counter"
                profile = "test-counter"
                topic = "test/counter"
                """
        let config = """
            [gateway]
            id = "\(gatewayID)"
            data_dir = "data"
            devices_dir = "devices"
            durability = "\(durability)"
            clock = "\(clock)"
            log_level = "info"

            \(mqtt ?? """
                [mqtt]
                host = "127.0.0.1"
                port = \(broker.port)
                subscribe = ["test/#"]
                \(extraConfig)
                """)

            \(sensorBlock)

            \(traceability)
            """
        try directory.write(config, to: "sawah.toml")
        daemon = DaemonProcess(executable: executable, arguments: ["--config", directory.file("sawah.toml")], logPath: directory.file("sawahd.log"))
        uplink = DaemonProcess(
            executable: ProjectPaths.executable("sawah-uplink") ?? "/nonexistent/sawah-uplink",
            arguments: ["--config", directory.file("sawah.toml")], logPath: directory.file("sawah-uplink.log"))
    }

    /// Starts `sawah-uplink` and waits until it runs.
    public func startUplink(timeout: TimeInterval = 10) throws {
        guard ProjectPaths.executable("sawah-uplink") != nil else { throw HarnessError.notBuilt("sawah-uplink") }
        let before = uplink.log.components(separatedBy: "sawah-uplink started").count
        try uplink.start()
        let deadline = Date().addingTimeInterval(timeout)
        while uplink.log.components(separatedBy: "sawah-uplink started").count == before {
            if !uplink.isRunning { throw HarnessError.exited(log: uplink.log) }
            if Date() > deadline { throw HarnessError.timedOut("sawah-uplink did not start within \(timeout) s; log:\n\(uplink.log)") }
            usleep(10_000)
        }
    }

    public var configPath: String { directory.file("sawah.toml") }
    public var journalPath: String { directory.file("data/journal.sqlite") }

    /// Runs the built `sawah` CLI with `arguments`; returns status and output.
    public func sawah(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let cli = ProjectPaths.executable("sawah") else { throw HarnessError.notBuilt("sawah") }
        return try ChildProcess.run(cli, arguments)
    }

    /// The lot of `counterTraceability`.
    public static let counterLot = "https://id.gs1.org/01/09506000134352/10/TEST-LOT"

    /// A `[traceability]` table that puts the counter sensor in one lot.
    public static func counterTraceability(intervalSeconds: Int = 1, maxReadings: Int = 500) -> String {
        """
        [traceability]
        issuer_name = "Sawah test farm"
        farm = "https://id.gs1.org/414/9506000000007"
        time_zone_offset = "+07:00"
        seal_interval_seconds = \(intervalSeconds)
        seal_max_readings = \(maxReadings)

        [[traceability.lots]]
        id = "\(counterLot)"
        name = "Test lot"
        plot = "https://id.gs1.org/414/9506000000014"
        sensors = ["counter"]
        """
    }

    /// Starts the daemon and waits until it has subscribed (the broker acknowledged the
    /// subscription): a message published before that is not routed to the gateway at all,
    /// which a test would misread as lost.
    public func start(timeout: TimeInterval = 10) throws {
        startsSeen = daemon.log.components(separatedBy: "MQTT subscribed").count - 1
        try daemon.start()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let subscriptions = daemon.log.components(separatedBy: "MQTT subscribed").count - 1
            if subscriptions > startsSeen {
                startsSeen = subscriptions
                return
            }
            if !daemon.isRunning { throw HarnessError.exited(log: daemon.log) }
            usleep(10_000)
        }
        throw HarnessError.timedOut("sawahd did not subscribe within \(timeout) s; log:\n\(daemon.log)")
    }

    private var startsSeen = 0

    public func remove() {
        if daemon.isRunning { daemon.kill9() }
        if uplink.isRunning { uplink.kill9() }
        directory.remove()
    }

    public enum HarnessError: Error, CustomStringConvertible {
        case notBuilt(String)
        case exited(log: String)
        case timedOut(String)

        public var description: String {
            switch self {
            case .notBuilt(let name): "\(name) is not built: run `swift build` first (or set SAWAH_BIN_DIR)"
            case .exited(let log): "sawahd exited early; log:\n\(log)"
            case .timedOut(let text): text
            }
        }
    }
}
