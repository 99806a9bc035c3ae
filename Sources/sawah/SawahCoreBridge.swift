import SawahCore

/// Small helpers that turn core types into what the commands print.
enum SawahCoreBridge {
    static func journalPath(configPath: String) throws -> String {
        try GatewayConfiguration.load(path: configPath).journalPath
    }
}
