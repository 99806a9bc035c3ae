import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// File writes for provisioning: atomic replacement with a chosen mode, and secrets created
/// exclusively with mode 0600 so they are never world-readable, not even for an instant.
enum ProvisioningFiles {
    static func writeAtomically(_ text: String, to path: String, mode: Int) throws(ProvisioningError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .unwritable(path, "\(error.localizedDescription)")
        }
        let temporary = path + ".tmp-\(getpid())"
        try createExclusive(temporary, contents: text, mode: mode)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unwritable(path, reason)
        }
    }

    /// Creates `path` (failing if it exists) with `mode`, and writes `contents`.
    static func createExclusive(_ path: String, contents: String, mode: Int) throws(ProvisioningError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else {
            throw errno == EEXIST ? .exists(path) : .unwritable(path, String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        fchmod(descriptor, mode_t(mode))
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else { throw .unwritable(path, String(cString: strerror(errno))) }
    }
}
