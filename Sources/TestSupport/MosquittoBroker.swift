import Foundation

/// A real mosquitto broker on a free loopback port, with a generated config, for tests and
/// benchmarks. Its config sets `persistence`, `max_queued_messages` and `max_queued_bytes`
/// deliberately: with the defaults the broker silently drops queued messages (docs/facts.md).
public final class MosquittoBroker: @unchecked Sendable {
    // @unchecked Sendable: `process` is only replaced by start/stop/kill, which tests call from
    // one task at a time; everything else is immutable.
    public let port: Int
    /// The TLS listener's port, when the broker was made with one.
    public let tlsPort: Int?
    public let directory: TemporaryDirectory
    private var process: ChildProcess?

    public static var executable: String? {
        ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A second listener with TLS and password authentication, beside the anonymous plain one.
    public struct TLSListener: Sendable {
        public var certificates: TestCertificates
        /// user → password, written with mosquitto_passwd.
        public var users: [String: String]

        public init(certificates: TestCertificates, users: [String: String]) {
            self.certificates = certificates
            self.users = users
        }
    }

    /// Writes the config and starts the broker; returns once it accepts connections.
    public init(extraConfig: String = "", tls: TLSListener? = nil) throws {
        port = try freeLoopbackPort()
        directory = try TemporaryDirectory(prefix: "sawah-broker")
        var tlsBlock = ""
        if let tls {
            let tlsPort = try freeLoopbackPort()
            self.tlsPort = tlsPort
            let passwords = directory.file("passwords")
            guard FileManager.default.createFile(atPath: passwords, contents: nil) else {
                throw BrokerError.didNotStart(port: tlsPort, log: "cannot create the password file \(passwords)")
            }
            for (user, password) in tls.users {
                let result = try ChildProcess.run("/usr/bin/mosquitto_passwd", ["-b", passwords, user, password])
                guard result.status == 0 else { throw BrokerError.didNotStart(port: tlsPort, log: result.output) }
            }
            tlsBlock = """
                listener \(tlsPort) 127.0.0.1
                allow_anonymous false
                password_file \(passwords)
                cafile \(tls.certificates.caFile)
                certfile \(tls.certificates.serverCertFile)
                keyfile \(tls.certificates.serverKeyFile)
                """
        } else {
            tlsPort = nil
        }
        // Started as root, mosquitto switches to the `mosquitto` user unless told otherwise,
        // and then cannot write its persistence file in our private temp folder.
        let user = getuid() == 0 ? "user root" : ""
        let config = """
            per_listener_settings true
            \(user)
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location \(directory.path)/
            autosave_interval 1
            # Queue deeply for a gateway that is away, and never drop silently.
            max_queued_messages 2000000
            max_queued_bytes 0
            # Let many QoS 1 messages be in flight to one subscriber: the gateway's group
            # commit takes all that are waiting in one transaction.
            max_inflight_messages 1000
            max_keepalive 60
            log_dest file \(directory.path)/mosquitto.log
            log_type error
            log_type warning
            log_type notice
            \(extraConfig)
            \(tlsBlock)
            """
        try directory.write(config, to: "mosquitto.conf")
        try start()
    }

    public var configPath: String { directory.file("mosquitto.conf") }
    public var pid: Int32? { process?.pid }

    /// Starts (or restarts) the broker with the same config and persistence file.
    public func start() throws {
        guard let executable = Self.executable else {
            throw BrokerError.notInstalled
        }
        let process = try ChildProcess(executable: executable, arguments: ["-c", configPath])
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while !loopbackPortAccepts(port) {
            guard process.isRunning, Date() < deadline else {
                throw BrokerError.didNotStart(port: port, log: (try? String(contentsOfFile: directory.file("mosquitto.log"), encoding: .utf8)) ?? "")
            }
            usleep(20_000)
        }
    }

    /// SIGTERM: the broker saves its persistence file and exits.
    public func stop() {
        guard let process else { return }
        process.signal(SIGTERM)
        if process.wait(timeout: 10) == nil {
            process.signal(SIGKILL)
            process.wait(timeout: 5)
        }
        self.process = nil
    }

    /// SIGKILL: the broker dies as in a crash, saving nothing; a restart loads its last autosave.
    public func kill9() {
        guard let process else { return }
        process.signal(SIGKILL)
        process.wait(timeout: 5)
        self.process = nil
    }

    /// Stops the broker and removes its files.
    public func shutdown() {
        stop()
        directory.remove()
    }

    deinit {
        if let process, process.isRunning {
            process.signal(SIGKILL)
            process.wait(timeout: 5)
        }
    }

    public enum BrokerError: Error, CustomStringConvertible {
        case notInstalled
        case didNotStart(port: Int, log: String)

        public var description: String {
            switch self {
            case .notInstalled: "mosquitto is not installed (apt-get install mosquitto)"
            case .didNotStart(let port, let log): "mosquitto did not start on port \(port): \(log)"
            }
        }
    }
}
