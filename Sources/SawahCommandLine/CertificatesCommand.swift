import ArgumentParser
import Foundation
import SawahCore
import SawahGateway
import SawahJournal
import SawahStatus
import SawahSystem
import SawahTraceability

struct CertificatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificates",
        abstract: "Seal readings into certificates now, or export certificate bundles.",
        subcommands: [Seal.self, Export.self, EventHashes.self])

    struct Seal: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seal every pending reading of every lot now (sawahd also does this on its schedule).")
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

        func run() throws {
            let daemon: GatewayDaemon
            do { daemon = try GatewayDaemon.check(configPath: config) } catch { throw SawahCoreBridge.unusable(config, error) }
            guard let traceability = daemon.config.traceability else { throw ValidationError("\(config) has no [traceability] table") }
            let identity = try GatewayIdentity.load(from: traceability.identityKeyFile, didWeb: traceability.didWeb)
            let journal = try SealStore.open(path: daemon.config.journalPath, durability: daemon.config.durability)
            let sealer = BatchSealer(journal: journal, config: daemon.config, library: daemon.library, identity: identity)
            let corrected = try sealer.correctClock()
            if corrected > 0 { print("corrected the times of \(corrected) readings received before the clock was synchronised") }
            let sealed = try sealer.sealDue(now: Clock.nowMilliseconds(), force: true)
            print(sealed.isEmpty ? "nothing to seal" : "sealed batches \(sealed.first!)…\(sealed.last!) (\(sealed.count))")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the bundles a third party needs: credential JWS, EPCIS document, raw series.")
        @OptionGroup var location: JournalLocation
        @Argument(help: "One batch number.") var batch: Int64?
        @Option(help: "First batch of a range.") var from: Int64?
        @Option(help: "Last batch of a range.") var to: Int64?
        @Option(name: .shortAndLong, help: "Folder to write into.") var output: String

        func validate() throws {
            guard batch != nil || from != nil || to != nil else { throw ValidationError("give a BATCH number or --from/--to") }
        }

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            let range = batch.map { $0...$0 } ?? (from ?? 1)...(to ?? Int64.max)
            let batches = try reader.batches(range)
            guard !batches.isEmpty else {
                throw ValidationError("no sealed batch in \(range.lowerBound)…\(range.upperBound == Int64.max ? "" : String(range.upperBound))")
            }
            var damaged: [BundleProblem] = []
            for stored in batches {
                switch try reader.bundle(of: stored) {
                case .success(let bundle):
                    try CertificateBundleFiles.write(bundle, to: output)
                case .failure(let problem):
                    // Written all the same: an auditor may want what is left. The exit status
                    // says the export is not a set of bundles that verify.
                    FileHandle.standardError.write(Data("sawah certificates export: \(problem); its bundle will not verify\n".utf8))
                    try CertificateBundleFiles.write(problem.rebuilt, to: output)
                    damaged.append(problem)
                }
            }
            try VerifierPageFiles.write(to: output, alarms: location.journal == nil ? try SawahCoreBridge.config(location.config).traceability?.alarms : nil)
            print("wrote \(batches.count) bundles and verify.html (open it in a browser to check them) to \(output)")
            if !damaged.isEmpty {
                FileHandle.standardError.write(Data("sawah certificates export: \(damaged.count) of \(batches.count) bundles will not verify\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
