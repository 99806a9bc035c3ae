import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The gpio-sim chip `scripts/gpio-sim-test` makes inside its QEMU guest: its name and sysfs
/// directory come from SAWAH_GPIO_SIM_CHIP and SAWAH_GPIO_SIM_DIR, set only there. A test
/// drives each line's input through sysfs (`sim_gpioN/pull`), as an external switch would.
public enum GPIOSimulator {
    /// The simulated chip's name, or nil outside the guest.
    public static let chip = ProcessInfo.processInfo.environment["SAWAH_GPIO_SIM_CHIP"]
    public static let directory = ProcessInfo.processInfo.environment["SAWAH_GPIO_SIM_DIR"] ?? ""

    /// Drives simulated line `line` high or low.
    public static func drive(_ line: Int, high: Bool) throws {
        try (high ? "pull-up" : "pull-down").write(toFile: "\(directory)/sim_gpio\(line)/pull", atomically: false, encoding: .utf8)
    }

    /// Drives `count` pulses on `line`, `spacing` microseconds between edges.
    public static func pulse(_ line: Int, count: Int, spacing: UInt32) throws {
        for _ in 0..<count {
            try drive(line, high: true)
            if spacing > 0 { usleep(spacing) }
            try drive(line, high: false)
            if spacing > 0 { usleep(spacing) }
        }
    }

    /// utime + stime of a process, in clock ticks, from /proc/PID/stat.
    public static func cpuTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}
