import Foundation

/// A child process started with posix_spawn and reaped with waitpid.
///
/// Foundation's `Process.waitUntilExit` was seen to hang here when called from a Swift
/// concurrency thread, so tests manage their children directly: nothing else reaps them.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `status` is written only by `poll`/`wait`, which one test task
    // calls at a time; `pid` is immutable.
    public let pid: pid_t
    private var status: Int32?

    /// Starts `executable` with `arguments`; stdout and stderr go to `outputPath` (appended),
    /// or to /dev/null.
    public init(executable: String, arguments: [String], outputPath: String? = nil, environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let target = outputPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Threads of the Swift runtime block signals, and a spawned child inherits the mask:
        // without this a child would ignore the SIGTERM a test sends it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL, userInfo: [NSFilePathErrorKey: executable])
        }
        pid = child
    }

    /// True until the child has exited (and been reaped here).
    public var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            status = Self.decode(raw)
            return false
        }
        return true
    }

    /// Waits for the child to exit, up to `timeout` seconds; its exit status (128 + signal for a
    /// signal), or nil if it is still running.
    @discardableResult
    public func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
        return status
    }

    public func signal(_ signal: Int32) {
        if status == nil { kill(pid, signal) }
    }

    public var exitStatus: Int32? { status }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Runs a command to completion (at most `timeout` seconds) and returns its status and
    /// combined output.
    public static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory(prefix: "sawah-run")
        defer { directory.remove() }
        let child = try ChildProcess(executable: executable, arguments: arguments, outputPath: directory.file("out"))
        let status =
            child.wait(timeout: timeout)
            ?? {
                child.signal(SIGKILL)
                return child.wait(timeout: 5) ?? -1
            }()
        let output = (try? String(contentsOfFile: directory.file("out"), encoding: .utf8)) ?? ""
        return (status, output)
    }
}
