import ArgumentParser
import SawahCore

/// Small helpers that turn core types into what the commands print.
enum SawahCoreBridge {
    static func journalPath(configPath: String) throws -> String {
        try GatewayConfiguration.load(path: configPath).journalPath
    }

    /// The gateway config, or a usage error naming the file and every problem in it.
    static func config(_ path: String) throws -> GatewayConfiguration {
        do { return try GatewayConfiguration.load(path: path) } catch { throw ValidationError("cannot read \(path):\n\(error)") }
    }
}
