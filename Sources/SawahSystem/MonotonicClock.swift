import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The one clock for intervals, deadlines and debounce: CLOCK_MONOTONIC, which never jumps
/// when NTP or an operator steps the wall clock. It is also the clock the kernel stamps GPIO
/// edge events with, so debounce compares like with like.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary point before this boot.
    public static func nanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Milliseconds on the same clock.
    public static func milliseconds() -> Int64 {
        nanoseconds() / 1_000_000
    }

    /// Milliseconds since boot on CLOCK_BOOTTIME: like CLOCK_MONOTONIC it never jumps, and it
    /// also counts time the board spent suspended, so it spans the whole boot.
    public static func boottimeMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return Int64(time.tv_sec) * 1_000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// This boot's id (`/proc/sys/kernel/random/boot_id`, new at every boot); nil where the
    /// kernel does not offer it. Read once: it cannot change while the process lives, and every
    /// sealing pass and journal open asks for it.
    public static func bootID() -> String? { currentBootID }

    private static let currentBootID: String? = {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        let id = text.filter { !$0.isWhitespace }
        return id.isEmpty ? nil : id
    }()

    /// Seconds on the same clock, for deadlines computed in fractional seconds.
    public static func seconds() -> Double {
        Double(nanoseconds()) / 1e9
    }
}
