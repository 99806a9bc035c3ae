import Foundation

/// Figures read from /proc for a running process.
enum ProcessMeasurements {
    /// Peak resident set size in bytes (VmHWM).
    static func peakRSS(pid: Int32) -> Int64? { kilobytes("VmHWM:", in: "/proc/\(pid)/status") }

    /// Memory only this process holds and the kernel cannot drop (Private_Dirty in
    /// /proc/PID/smaps_rollup: heap, stacks, relocated data), in bytes. RSS also counts the
    /// clean text pages of the executable, which are file-backed and reclaimable; reporting
    /// both shows which of the two a change moved.
    static func privateDirty(pid: Int32) -> Int64? { kilobytes("Private_Dirty:", in: "/proc/\(pid)/smaps_rollup") }

    /// A `Name:   1234 kB` line of a /proc file, in bytes.
    private static func kilobytes(_ field: String, in path: String) -> Int64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            return line.split(separator: " ").compactMap { Int64($0) }.first.map { $0 * 1024 }
        }
        return nil
    }

    /// Bytes the process caused to be written to storage (`write_bytes` in /proc/PID/io).
    static func bytesWritten(pid: Int32) -> Int64? {
        guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in io.split(separator: "\n") where line.hasPrefix("write_bytes:") {
            return Int64(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}

/// Percentiles of a sample, nearest-rank.
func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}
