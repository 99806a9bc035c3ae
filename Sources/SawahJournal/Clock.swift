#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time in the units the journal stores.
public enum Clock {
    /// Milliseconds since 1970 (`CLOCK_REALTIME`).
    public static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
