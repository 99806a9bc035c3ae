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

/// What provisioning can run into, each naming the file or node concerned.
public enum ProvisioningError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadable(String)
    case unwritable(String, String)
    case exists(String)
    case malformed(file: String, line: Int, problem: String)
    case unknownNode(String)
    case nodeExists(String, secretFile: String)
    case invalidNode(String)
    case other(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .exists(let path): "\(path) exists already; it is not overwritten"
        case .malformed(let file, let line, let problem): "\(file):\(line): \(problem)"
        case .unknownNode(let node): "no [[sensors]] entry has node = \"\(node)\": add the node's sensors to the config first, so its topics are known"
        case .nodeExists(let node, let secret): "node \(node) has credentials already (\(secret)); use --rotate to replace them"
        case .invalidNode(let node): "node id \"\(node)\" must be letters, digits, '-' or '_' (it becomes the MQTT user name)"
        case .other(let text): text
        }
    }
}
