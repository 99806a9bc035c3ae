import ArgumentParser
import Foundation
import SawahCore
import SawahTraceability

extension CertificatesCommand {
    /// `sawah certificates event-hash FILE`: the CBV 2.0 hash of every event in an EPCIS JSON-LD
    /// document, for an auditor comparing with another implementation (the verifier page is
    /// tested against this).
    struct EventHashes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "event-hash",
            abstract: "Print the CBV 2.0 canonical hash (and, with --pre-hash, the pre-hash string) of each event in an EPCIS document.")
        @Argument(help: "An EPCIS 2.0 JSON-LD document (epcisBody.eventList).") var file: String
        @Flag(help: "Print one JSON object per event: index, preHash, eventID.") var preHash = false

        func run() throws {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                throw ValidationError("\(file): cannot read it: \(error.localizedDescription)")
            }
            let document: JSONValue
            do { document = try JSONValue.parse(bytes) } catch { throw ValidationError("\(file): not JSON: \(error)") }
            guard case .array(let events)? = document.value(at: "epcisBody.eventList") else {
                throw ValidationError("\(file): not an EPCIS document (no epcisBody.eventList)")
            }
            let hasher = EventHash(context: document.value(at: "@context"))
            for (index, event) in events.enumerated() {
                var members: [String: JSONValue] = [:]
                if case .object(let object) = event { members = object }
                members.removeValue(forKey: "eventID")
                let withoutID = JSONValue.object(members)
                if preHash {
                    print(
                        JSONText.serialize(
                            .object([
                                "index": .number(Double(index)), "preHash": .string(hasher.preHash(for: withoutID)),
                                "eventID": .string(hasher.eventID(for: withoutID))
                            ])))
                } else {
                    print(hasher.eventID(for: withoutID))
                }
            }
        }
    }
}
