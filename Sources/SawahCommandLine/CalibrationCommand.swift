import ArgumentParser
import SawahCore
import SawahJournal
import SawahTraceability

/// `sawah calibration record --sensor S --ice-reading R`: a probe's ice-slurry check (0 °C)
/// as a signed fact in the chain; the cold-treatment claim subtracts the reading from the
/// probe's temperatures. `sawah calibration list` shows the records.
struct CalibrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibration", abstract: "Record or list probe calibrations (ice slurry at 0 °C), signed into the chain.",
        subcommands: [Record.self, List.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what a probe read in an ice slurry at 0 °C.")
        @Option(help: "The probe's sensor id, as [[sensors]] names it.") var sensor: String
        @Option(help: "What it read in the ice slurry, in °C (its offset from 0).") var iceReading: Double
        @Option(help: "When the check was made (default: now).") var at: TimeArgument?
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

        /// A probe more than this far off in melting ice is broken, not to be corrected.
        static let plausibleOffset = -5.0...5.0

        func run() throws {
            let appender = try RecordAppender(configPath: config)
            guard appender.config.sensors.contains(where: { $0.id == sensor }) else {
                throw ValidationError("no sensor \"\(sensor)\" in [[sensors]] of \(config)")
            }
            guard iceReading.isFinite, Self.plausibleOffset.contains(iceReading) else {
                throw ValidationError("an ice-slurry reading of \(iceReading) °C is not a calibration offset (expected -5…5 °C): check the probe")
            }
            let time = try appender.time(at)
            // The record names the probe by the gateway's own URN, which carries the sensor id.
            let deviceID = "urn:sawah:\(appender.config.gatewayID):sensor:\(sensor)"
            let number = try appender.append(.calibration(sensor: sensor, deviceID: deviceID, iceReadingCelsius: iceReading, time: time))
            print("batch \(number): \(sensor) read \(iceReading) °C in ice slurry at \(EPCISTimestamp.format(time))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the calibration records in the chain.")
        @OptionGroup var location: JournalLocation

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            let links = try reader.recordLinks(kind: "calibration")
            if links.isEmpty { print("no calibration records") }
            for link in links {
                if case .success(.calibration(let sensor, _, let reading, let time)) = ChainRecord.parse(epcis: link.epcis) {
                    print("batch \(link.number)  \(EPCISTimestamp.format(time))  \(sensor)  ice slurry \(reading) °C")
                }
            }
        }
    }
}
