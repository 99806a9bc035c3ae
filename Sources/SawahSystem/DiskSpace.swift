import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Free space on the filesystem that holds the journal: what retention's disk-pressure rule,
/// the health report's time-until-full and the "disk full" state all read.
public enum DiskSpace {
    /// Below this much free space the disk counts as full: SQLite cannot be relied on to find
    /// room for a transaction's pages, and `sawah status` says so.
    public static let fullBelowBytes: Int64 = 1024 * 1024

    /// Bytes available to an unprivileged process on the filesystem holding `path` (root's
    /// reserve not counted: sawahd does not run as root), or nil when the filesystem cannot
    /// be asked (the path is gone, or not mounted yet).
    public static func freeBytes(at path: String) -> Int64? {
        guard let info = fileSystem(at: path) else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// True when the filesystem holding `path` refuses writes: mounted read-only, or switched
    /// to read-only by the kernel after I/O errors (`errors=remount-ro`). The latter is what a
    /// failing SD card does, and on current kernels it shows only as ext4's `emergency_ro`
    /// mount option, not in `statvfs`, so the mount table is read too.
    public static func isReadOnly(at path: String) -> Bool {
        if let info = fileSystem(at: path), info.f_flag & UInt(ST_RDONLY) != 0 { return true }
        guard let table = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return false }
        return mountOptions(of: path, table: table).contains { $0 == "ro" || $0 == "emergency_ro" }
    }

    /// The options of the mount that holds `path` (the longest mount point it lies under) in a
    /// `/proc/mounts` table.
    static func mountOptions(of path: String, table: String) -> [Substring] {
        let target = canonical(path)
        var best: (length: Int, options: [Substring]) = (-1, [])
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 4 else { continue }
            // Spaces and other bytes in mount points are written as octal escapes (\040).
            let point = unescaped(fields[1])
            let under = target == point || point == "/" || target.hasPrefix(point + "/")
            // The last mount over a point hides the earlier ones: ">=" keeps the last.
            if under, point.count >= best.length { best = (point.count, fields[3].split(separator: ",")) }
        }
        return best.options
    }

    private static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func unescaped(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                let code = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(code)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func fileSystem(at path: String) -> statvfs? {
        var info = statvfs()
        return statvfs(path, &info) == 0 ? info : nil
    }
}
