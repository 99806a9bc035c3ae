import ArgumentParser
import SawahCore

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "The device profile library.",
        subcommands: [Check.self, List.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every profile in a devices folder; errors name file, line and key.")
        @Argument(help: "The devices folder.")
        var directory: String = "/usr/share/sawah/devices"

        func run() throws {
            do {
                let library = try DeviceLibrary.load(directory: directory)
                print("\(directory): \(library.profiles.count) profiles OK")
            } catch {
                print(error.description)
                throw ExitCode(78)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the profiles with their quantities and units.")
        @Argument(help: "The devices folder.")
        var directory: String = "/usr/share/sawah/devices"

        func run() throws {
            let library = try DeviceLibrary.load(directory: directory)
            for profile in library.profiles.values.sorted(by: { $0.id < $1.id }) {
                let quantities = profile.quantities.map { "\($0.name) [\(UnitCode.symbol(of: $0.unit))]" }.joined(separator: ", ")
                print("\(profile.id): \(profile.manufacturer) \(profile.model) — \(quantities)")
            }
        }
    }
}
