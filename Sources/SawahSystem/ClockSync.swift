import CTimex
import SawahCore

#if canImport(Glibc)
import Glibc
#endif

/// Whether the system clock can be trusted: a Raspberry Pi has no real-time clock and boots
/// with the last saved time (or 1970) until NTP sets it, which on a field without an uplink
/// may never happen. Read from the kernel's clock discipline (`adjtimex(2)`: an NTP client —
/// systemd-timesyncd, chrony, ntpd — clears `STA_UNSYNC` once it has set the clock, and the
/// kernel's maximum error grows while nothing disciplines it) and from systemd-timesyncd's own
/// marker file.
public struct ClockSync: Sendable, Equatable {
    /// The kernel counts the clock as synchronised (`STA_UNSYNC` clear, state not TIME_ERROR).
    public var synchronized: Bool
    /// The kernel's maximum error of the clock, in microseconds; nil if it could not be read.
    public var maxErrorMicroseconds: Int64?
    /// systemd-timesyncd has synchronised the clock since boot
    /// (`/run/systemd/timesync/synchronized` exists); false also where it does not run.
    public var timesyncdSynchronized: Bool

    public init(synchronized: Bool, maxErrorMicroseconds: Int64?, timesyncdSynchronized: Bool) {
        self.synchronized = synchronized
        self.maxErrorMicroseconds = maxErrorMicroseconds
        self.timesyncdSynchronized = timesyncdSynchronized
    }

    /// systemd-timesyncd touches this file when it first synchronises after boot.
    public static let timesyncdMarker = "/run/systemd/timesync/synchronized"

    /// The clock's state now. One system call and one `stat`: cheap enough for every health
    /// report and every `sawah status`.
    public static func read() -> ClockSync {
        var clock = kernel()
        var marker = stat()
        clock.timesyncdSynchronized = stat(timesyncdMarker, &marker) == 0
        return clock
    }

    /// Only the kernel's verdict: one system call, for the ingest path, once per commit.
    public static func kernelSynchronised() -> Bool {
        kernel().synchronized
    }

    /// What `adjtimex` says, without timesyncd's marker.
    private static func kernel() -> ClockSync {
        var status: Int32 = 0
        var maxError = 0
        var estimatedError = 0
        let state = sawah_clock_state(&status, &maxError, &estimatedError)
        return ClockSync(
            kernelState: state, status: status, maxErrorMicroseconds: state < 0 ? nil : Int64(maxError), timesyncdSynchronized: false)
    }

    /// The decision, apart from the system call: unsynchronised when the call failed, the
    /// state is TIME_ERROR, or `STA_UNSYNC` is set.
    init(kernelState: Int32, status: Int32, maxErrorMicroseconds: Int64?, timesyncdSynchronized: Bool) {
        let synchronized = kernelState >= 0 && kernelState != SAWAH_TIME_ERROR && status & SAWAH_STA_UNSYNC == 0
        self.init(synchronized: synchronized, maxErrorMicroseconds: maxErrorMicroseconds, timesyncdSynchronized: timesyncdSynchronized)
    }

    /// `{"synchronized": true, "max_error_ms": 12.5, "timesyncd": true}` for the health topic
    /// and `sawah status --json`.
    public var json: JSONValue {
        .object([
            "synchronized": .bool(synchronized),
            "max_error_ms": maxErrorMicroseconds.map { .number(Double($0) / 1000) } ?? .null,
            "timesyncd": .bool(timesyncdSynchronized)
        ])
    }

    /// One line for `sawah status`.
    public var text: String {
        let error = maxErrorMicroseconds.map { " (maximum error \(Self.milliseconds($0)))" } ?? ""
        if synchronized { return "synchronised\(error)" }
        return "NOT synchronised\(error): readings carry the gateway's own unchecked time until an NTP client sets the clock"
    }

    private static func milliseconds(_ microseconds: Int64) -> String {
        microseconds >= 10_000_000 ? "\(microseconds / 1_000_000) s" : "\(Double(microseconds / 100) / 10) ms"
    }
}
