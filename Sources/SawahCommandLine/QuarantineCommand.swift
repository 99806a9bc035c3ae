import ArgumentParser
import Foundation
import SawahCore
import SawahJournal
import SawahTraceability

struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Payloads that could not become readings, with the reason.",
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the newest quarantined payloads.")

        @OptionGroup var location: JournalLocation
        @Option(name: .shortAndLong, help: "How many to show.")
        var limit: Int = 20

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            let entries = try reader.quarantine(limit: limit)
            let counters = try reader.counters()
            print("\(counters["quarantined_total"] ?? 0) payloads quarantined in all; newest \(entries.count):")
            for entry in entries {
                let record = entry.record
                print("#\(entry.id)  \(EPCISTimestamp.format(record.receivedAt))  \(ControlCharacters.escaped(record.source))  \(record.payloadSize) bytes")
                print("    reason:  \(ControlCharacters.escaped(record.reason))")
                print("    payload: \(Self.preview(record.payload))")
            }
        }

        /// The first 120 bytes as text, with anything unprintable or not UTF-8 escaped.
        static func preview(_ bytes: [UInt8]) -> String {
            var text = ""
            for byte in bytes.prefix(120) {
                if byte >= 0x20 && byte < 0x7f {
                    text.append(Character(UnicodeScalar(byte)))
                } else {
                    text += String(format: "\\x%02x", byte)
                }
            }
            return bytes.count > 120 ? text + "…" : text
        }
    }
}
