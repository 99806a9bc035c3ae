import ArgumentParser
import Foundation
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

extension ClaimsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the claims issued, with their verdicts.")
        @OptionGroup var location: JournalLocation

        func run() throws {
            let claims = try JournalReader(path: try location.path()).claims()
            if claims.isEmpty { print("no claims") }
            for claim in claims {
                let credential = try? CompactJWS(compact: claim.jws).payloadJSON()
                let conforms = credential?.value(at: "credentialSubject.assessment").flatMap { if case .array(let items) = $0 { items.first } else { nil } }
                let verdict = conforms?.value(at: "conformance") == .bool(true) ? "conforms" : "does not conform"
                var summary = ""
                if case .string(let text)? = conforms?.value(at: "description") { summary = text }
                print("\(claim.number)  \(claim.claimID)  \(claim.kind)  \(claim.subject)  \(EPCISTimestamp.format(claim.createdAt))  \(verdict): \(summary)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a claim's credential, evidence bundle and ePhyto prefill as JSON.")
        @OptionGroup var location: JournalLocation
        @Argument(help: "The claim's number or id.") var claim: String

        func run() throws {
            guard let stored = try JournalReader(path: try location.path()).claims(matching: claim).first else {
                throw ValidationError("no claim \(claim) (sawah claims list shows them)")
            }
            var shown: [String: JSONValue] = [
                "credential": (try? CompactJWS(compact: stored.jws).payloadJSON()) ?? .null,
                "evidence": (try? JSONValue.parse(stored.evidence)) ?? .null
            ]
            if let prefill = stored.prefill { shown["ePhytoPrefill"] = (try? JSONValue.parse(prefill)) ?? .null }
            print(JSONText.serialize(.object(shown)))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a claim's files and every certificate bundle of the chain, for sawah verify --bundles DIR --claims.")
        @OptionGroup var location: JournalLocation
        @Argument(help: "The claim's number or id; all claims when left out.") var claim: String?
        @Option(name: .shortAndLong, help: "Folder to write into.") var output: String

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            let claims = try reader.claims(matching: claim)
            guard !claims.isEmpty else { throw ValidationError(claim.map { "no claim \($0)" } ?? "no claims") }
            // The whole chain: a verifier recomputes from batch 1, through every rotation and record.
            var written = 0
            for stored in try reader.batches() {
                switch try reader.bundle(of: stored) {
                case .success(let bundle): try CertificateBundleFiles.write(bundle, to: output)
                case .failure(let problem): throw ValidationError("batch \(stored.number) cannot be exported: \(problem)")
                }
                written += 1
            }
            for stored in claims { try ClaimFiles.write(stored, to: output) }
            print("wrote \(claims.count) claims and \(written) certificate bundles to \(output)")
        }
    }
}
