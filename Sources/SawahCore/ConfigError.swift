/// A problem in a configuration file or device profile, phrased for the operator who has to fix
/// it: which file, which line (when known), which key, and what was expected.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    /// The key with its table, for example `[mqtt] port` or `[[sensors]] #2 profile`.
    public var key: String
    public var problem: String

    public init(file: String, line: Int? = nil, key: String, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(problem)" : "\(place): \(key): \(problem)"
    }
}

/// Several configuration problems found in one pass, so the operator fixes them all at once.
public struct ConfigErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
