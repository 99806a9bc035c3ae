import Foundation
import SawahCore
import Testing

@testable import SawahSystem

/// The clock's sync state: the kernel's word (adjtimex) decides, the timesyncd marker is
/// shown beside it.
@Suite struct ClockSyncTests {
    // adjtimex(2): TIME_OK 0, TIME_ERROR 5; STA_UNSYNC 0x40, STA_PLL 0x1.
    @Test func theKernelsStateDecides() {
        #expect(ClockSync(kernelState: 0, status: 0x1, maxErrorMicroseconds: 12_000, timesyncdSynchronized: true).synchronized)
        #expect(!ClockSync(kernelState: 5, status: 0x41, maxErrorMicroseconds: 16_000_000, timesyncdSynchronized: false).synchronized)
        // STA_UNSYNC alone is enough, whatever the state says.
        #expect(!ClockSync(kernelState: 0, status: 0x40, maxErrorMicroseconds: 500, timesyncdSynchronized: true).synchronized)
        // A failed call is never taken for a synchronised clock.
        #expect(!ClockSync(kernelState: -1, status: 0, maxErrorMicroseconds: nil, timesyncdSynchronized: false).synchronized)
    }

    @Test func statusAndHealthSayIt() {
        let unsynced = ClockSync(kernelState: 5, status: 0x40, maxErrorMicroseconds: 16_000_000, timesyncdSynchronized: false)
        #expect(unsynced.text.hasPrefix("NOT synchronised (maximum error 16 s)"))
        #expect(unsynced.json == .object(["synchronized": .bool(false), "max_error_ms": .number(16_000), "timesyncd": .bool(false)]))
        let synced = ClockSync(kernelState: 0, status: 0x1, maxErrorMicroseconds: 12_500, timesyncdSynchronized: true)
        #expect(synced.text == "synchronised (maximum error 12.5 ms)")
    }

    /// The real call, on this machine: whatever its state, it agrees with the kernel's own
    /// report in /proc (the NTP state is not there, so only consistency is checked).
    @Test func theRealClockCanBeRead() {
        let clock = ClockSync.read()
        #expect(clock.maxErrorMicroseconds != nil)
        #expect((clock.maxErrorMicroseconds ?? -1) >= 0)
        #expect(clock.timesyncdSynchronized == FileManager.default.fileExists(atPath: ClockSync.timesyncdMarker))
        #expect(ClockSync.kernelSynchronised() == clock.synchronized)
    }

    /// The setter's error path, without moving this machine's clock: the kernel refuses a time
    /// before 1970 before it changes anything (settimeofday's validity check), and the error
    /// names the call's errno.
    @Test func aClockThatCannotBeSetIsAnErrorNamingWhy() {
        #expect(throws: ClockSync.SettingError.self) { try ClockSync.setSystemClock(wallMilliseconds: -1_000, synchronised: false) }
        do {
            try ClockSync.setSystemClock(wallMilliseconds: -1_000, synchronised: false)
        } catch {
            #expect(error.errno == EINVAL && error.description.hasPrefix("cannot set the system clock: Invalid argument"), "\(error)")
        }
    }
}
