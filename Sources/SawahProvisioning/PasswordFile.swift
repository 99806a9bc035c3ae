import Foundation

/// A mosquitto password file: `user:hash` lines, kept in order, rewritten atomically.
public struct PasswordFile: Sendable, Equatable {
    public private(set) var entries: [(user: String, hash: String)] = []

    public init() {}

    /// Reads the file; a missing file is an empty one. A malformed line is an error naming it.
    public static func load(_ path: String) throws(ProvisioningError) -> PasswordFile {
        var file = PasswordFile()
        guard FileManager.default.fileExists(atPath: path) else { return file }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path) }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw .malformed(file: path, line: index + 1, problem: "expected user:hash")
            }
            file.entries.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        return file
    }

    public var users: [String] { entries.map(\.user) }

    public func contains(_ user: String) -> Bool { entries.contains { $0.user == user } }

    /// Adds the user, or replaces its hash.
    public mutating func set(_ user: String, hash: String) {
        if let index = entries.firstIndex(where: { $0.user == user }) {
            entries[index].hash = hash
        } else {
            entries.append((user, hash))
        }
    }

    /// Writes the file with `mode` (the broker reads it; it holds hashes, not passwords).
    public func write(to path: String, mode: Int = 0o640) throws(ProvisioningError) {
        let text = entries.map { "\($0.user):\($0.hash)\n" }.joined()
        try ProvisioningFiles.writeAtomically(text, to: path, mode: mode)
    }

    public static func == (lhs: PasswordFile, rhs: PasswordFile) -> Bool {
        lhs.entries.map(\.user) == rhs.entries.map(\.user) && lhs.entries.map(\.hash) == rhs.entries.map(\.hash)
    }
}
