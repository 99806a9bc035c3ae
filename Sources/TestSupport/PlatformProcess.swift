import Foundation

/// The reference platform (`sawah-platform`) as a subprocess on a free loopback port, with
/// its own SQLite file, for tests and benchmarks that deliver over real HTTP.
public final class PlatformProcess: @unchecked Sendable {
    // @unchecked Sendable: owned by one test, which calls it one step at a time.
    public let directory: TemporaryDirectory
    public let port: Int
    public let scheme: String
    private let process: DaemonProcess

    /// `arguments` are extra `sawah-platform` options (faults, limits, TLS).
    /// `port` reuses a port (a platform coming back at the same address); nil picks a free one.
    public init(arguments: [String] = [], tls: Bool = false, port: Int? = nil, start: Bool = true) throws {
        guard let executable = ProjectPaths.executable("sawah-platform") else { throw GatewayHarness.HarnessError.notBuilt("sawah-platform") }
        directory = try TemporaryDirectory(prefix: "sawah-platform")
        self.port = try port ?? freeLoopbackPort()
        scheme = tls ? "https" : "http"
        process = DaemonProcess(
            executable: executable,
            arguments: ["--port", String(self.port), "--database", directory.file("platform.sqlite")] + arguments,
            logPath: directory.file("platform.log"))
        if start { try self.start() }
    }

    public func start() throws {
        try process.start()
        let deadline = Date().addingTimeInterval(15)
        while !process.log.contains("listening on") {
            if !process.isRunning || Date() > deadline { throw GatewayHarness.HarnessError.exited(log: process.log) }
            usleep(20_000)
        }
    }

    public func stop() { _ = process.stop() }

    /// `http://127.0.0.1:PORT` (or https).
    public var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
    public var databasePath: String { directory.file("platform.sqlite") }
    public var log: String { process.log }

    /// One number from the platform's database (`SELECT …`), read with the sqlite3 shell so
    /// it works whatever the platform's transport.
    public func count(_ sql: String) throws -> Int {
        let result = try ChildProcess.run("/usr/bin/sqlite3", [databasePath, sql])
        return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// One text value from the platform's database, read with the sqlite3 shell.
    public func text(_ sql: String) throws -> String {
        try ChildProcess.run("/usr/bin/sqlite3", [databasePath, sql]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A counter the platform keeps (duplicate_events, fault_503, too_large, …); 0 if never set.
    public func counter(_ name: String) throws -> Int {
        max(0, try count("SELECT COALESCE((SELECT value FROM counters WHERE name = '\(name)'), 0)"))
    }

    public func remove() {
        if process.isRunning { process.kill9() }
        directory.remove()
    }
}
