#if canImport(Glibc)
import Glibc
#endif

/// Files that hold a password, token or key. The packaging convention is owner root or sawah,
/// group sawah, mode 0640 or 0600; a secret any local user may read (0644, the default umask's
/// mode) is refused with a message, not used.
public enum SecretFile {
    /// Why `path`'s mode exposes it to other users, or nil when it does not (or cannot be
    /// read: the caller reports that).
    public static func exposure(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = Int(info.st_mode & 0o777)
        guard mode & 0o007 != 0 else { return nil }
        return "\(path) is a secret but other users may read or change it (mode 0\(String(mode, radix: 8))): chmod 0640 (or 0600) it"
    }
}
