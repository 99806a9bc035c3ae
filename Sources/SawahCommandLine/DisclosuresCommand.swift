import ArgumentParser
import Foundation
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

/// `sawah disclosures list|key|check`: the audit of what left the farm (DESIGN.md invariant
/// 10), the key that opens one platform's pseudonyms for its auditor, and the derived copies
/// re-derived from the originals.
struct DisclosuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosures", abstract: "What each platform received, under which disclosure profile; the copies checked.",
        subcommands: [List.self, Key.self, Check.self, Export.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every batch a platform received: when, under which profile, what was sent.")
        @OptionGroup var location: JournalLocation
        @Option(help: "One platform only.") var platform: String?

        func run() throws {
            let records = try JournalReader(path: try location.path()).disclosures(platform: platform)
            if records.isEmpty { print("no disclosures") }
            for record in records {
                let sent = record.sent.isEmpty ? "withheld" : record.sent
                print("\(EPCISTimestamp.format(record.disclosedAt))  \(record.platform)  batch \(record.batch)  profile \(record.profileHash)  \(sent)")
            }
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the key of one platform's pseudonyms (hex), for that platform's auditor: it opens no other platform's.")
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
        @Option(help: "The platform.") var platform: String

        func run() throws {
            let loaded = try SawahCoreBridge.config(config)
            guard loaded.platforms.contains(where: { $0.id == platform }) else { throw ValidationError("no platform \(platform) in \(config)") }
            guard let secret = FileManager.default.contents(atPath: loaded.dataDirectory + "/pseudonym.key"), secret.count == 32 else {
                throw ValidationError("\(loaded.dataDirectory)/pseudonym.key is missing or not 32 bytes: sawah-uplink makes it when a profile first needs it")
            }
            print(DisclosureDerivation.platformKey(gatewaySecret: Array(secret), platform: platform).map { String(format: "%02x", $0) }.joined())
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every derived copy kept for a platform: its signature and digests, and that the original gives it under its profile.")
        @OptionGroup var location: JournalLocation
        @Option(help: "The platform.") var platform: String
        @Option(help: "The platform's pseudonym key (hex), to check pseudonymised copies fully.") var platformKey: String?

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            let key = try platformKey.map(PlatformKeyArgument.bytes)
            let copies = try reader.derivedCopies(platform: platform).map { $0.copy.bundle(number: $0.batch) }
            let (failures, notes) = try CertificateVerifier().verifyCopies(copies, platformKey: key) { number in
                guard let stored = try reader.batch(number) else {
                    return .failure(.init(batch: number, check: "derivation", detail: "the original is not in the journal"))
                }
                switch try reader.bundle(of: stored) {
                case .success(let original): return .success(original)
                case .failure(let problem): return .failure(.init(batch: number, check: "derivation", detail: "the original cannot be rebuilt: \(problem)"))
                }
            }
            try DerivedCopiesReport.print(
                failures: failures, notes: notes, copies: copies.count, verified: "are signed and re-derive from their originals", place: "for \(platform)")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the derived copies kept for a platform as bundles, for sawah verify --derived DIR [--bundles ORIGINALS].")
        @OptionGroup var location: JournalLocation
        @Option(help: "The platform.") var platform: String
        @Option(name: .shortAndLong, help: "Folder to write into.") var output: String

        func run() throws {
            let copies = try JournalReader(path: try location.path()).derivedCopies(platform: platform)
            guard !copies.isEmpty else { throw ValidationError("no derived copies kept for \(platform)") }
            for (batch, copy) in copies {
                try CertificateBundleFiles.write(copy.bundle(number: batch), to: output)
            }
            print("wrote \(copies.count) derived copies for \(platform) to \(output)")
        }
    }
}
