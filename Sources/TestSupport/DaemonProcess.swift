import Foundation

/// `sawahd` (or another built executable) as a subprocess, with its output appended to a file
/// so a failing test can show it.
public final class DaemonProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is replaced only by start/kill/stop, called from one
    // test task at a time; the rest is immutable.
    public let executable: String
    public let arguments: [String]
    public let logPath: String
    /// Extra environment for the next start (for example NOTIFY_SOCKET).
    public var environment: [String: String] = [:]
    private var process: ChildProcess?

    public init(executable: String, arguments: [String], logPath: String) {
        self.executable = executable
        self.arguments = arguments
        self.logPath = logPath
    }

    public func start() throws {
        process = try ChildProcess(executable: executable, arguments: arguments, outputPath: logPath, environment: environment)
    }

    public var pid: Int32? { process?.pid }
    public var isRunning: Bool { process?.isRunning ?? false }

    /// SIGKILL, the crash the durability claims are about, and wait for it to be gone.
    public func kill9() {
        guard let process else { return }
        process.signal(SIGKILL)
        process.wait(timeout: 10)
        self.process = nil
    }

    /// SIGTERM and wait; returns the exit status (SIGKILL after `timeout`).
    @discardableResult
    public func stop(timeout: TimeInterval = 15) -> Int32 {
        guard let process else { return -1 }
        process.signal(SIGTERM)
        var status = process.wait(timeout: timeout)
        if status == nil {
            process.signal(SIGKILL)
            status = process.wait(timeout: 5)
        }
        self.process = nil
        return status ?? -1
    }

    /// Waits for the process to exit by itself; returns its status, or nil on timeout.
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        guard let process else { return nil }
        guard let status = process.wait(timeout: timeout) else { return nil }
        self.process = nil
        return status
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if let process, process.isRunning {
            process.signal(SIGKILL)
            process.wait(timeout: 5)
        }
    }
}
