import ArgumentParser
import Foundation
import SawahCore

/// Small helpers that turn core types into what the commands print.
enum SawahCoreBridge {
    static func journalPath(configPath: String) throws -> String {
        try config(configPath).journalPath
    }

    /// The gateway config. An unusable one ends the command as it ends `sawahd`: every problem
    /// named on standard error, exit status 78 (EX_CONFIG).
    static func config(_ path: String) throws -> GatewayConfiguration {
        do { return try GatewayConfiguration.load(path: path) } catch { throw unusable(path, error) }
    }

    /// Prints why the config at `path` cannot be used; returns the exit to throw.
    static func unusable(_ path: String, _ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("sawah: cannot read \(path):\n\(error)\n".utf8))
        return ExitCode(78)
    }
}
