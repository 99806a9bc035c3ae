import CTimex

#if canImport(Glibc)
import Glibc
#endif

extension ClockSync {
    /// Why the system clock could not be set: the `errno` of `clock_settime` or `adjtimex`.
    public struct SettingError: Error, CustomStringConvertible {
        public var errno: Int32
        public var description: String { "cannot set the system clock: \(String(cString: strerror(errno))) (errno \(errno))" }
    }

    /// Sets the wall clock to `wallMilliseconds` and the kernel's synchronised state with it,
    /// as an NTP client does when it steps the clock, or as a board without a real-time clock
    /// boots. sawahd never sets the clock: this is for the tests inside the QEMU guest, which
    /// own their machine's clock. Needs CAP_SYS_TIME.
    public static func setSystemClock(wallMilliseconds: Int64, synchronised: Bool) throws(SettingError) {
        let seconds = wallMilliseconds.quotientAndRemainder(dividingBy: 1_000)
        guard sawah_clock_set(seconds.quotient, Int(seconds.remainder) * 1_000_000, synchronised ? 1 : 0) == 0 else {
            throw SettingError(errno: errno)
        }
    }
}
