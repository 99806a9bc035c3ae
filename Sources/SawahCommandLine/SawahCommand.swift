import ArgumentParser

/// `sawah`: the operator's command line. Each subcommand is a thin layer over SawahCore and
/// SawahJournal; nothing here talks to SQLite or libmosquitto directly.
public struct SawahCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sawah",
        abstract: "Operate a Sawah farm gateway: readings, quarantine, device profiles, identity, certificates, a simulated field node.",
        subcommands: [
            ReadingsCommand.self, QuarantineCommand.self, DevicesCommand.self, IdentityCommand.self,
            CertificatesCommand.self, VerifyCommand.self, StatusCommand.self, UplinkCommand.self, BrokerCommand.self, NodeCommand.self, FirmwareCommand.self,
            MetricsCommand.self, WebCommand.self, SimulateCommand.self, SeasonCommand.self, CalibrationCommand.self, ClaimsCommand.self, DisclosuresCommand.self
        ])

    public init() {}
}

/// Where the journal is: taken from the config file, or given directly.
struct JournalLocation: ParsableArguments {
    @Option(name: .long, help: "Gateway configuration file (the journal is in its data_dir).")
    var config: String = "/etc/sawah/sawah.toml"

    @Option(name: .long, help: "Path of the journal file itself, instead of reading --config.")
    var journal: String?

    /// The journal's path: `--journal`, or the one `--config` names (an unusable config exits 78).
    func path() throws -> String {
        if let journal { return journal }
        return try SawahCoreBridge.journalPath(configPath: config)
    }
}
