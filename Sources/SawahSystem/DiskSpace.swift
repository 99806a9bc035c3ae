import Foundation

/// Free space on the filesystem that holds the journal: what retention's disk-pressure rule
/// and the health report's time-until-full both read.
public enum DiskSpace {
    /// Bytes available to this (unprivileged) process on the filesystem holding `path`, or
    /// nil when the filesystem cannot be asked (the path is gone, or not mounted yet).
    public static func freeBytes(at path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path),
            let free = attributes[.systemFreeSize] as? NSNumber
        else { return nil }
        return free.int64Value
    }
}
