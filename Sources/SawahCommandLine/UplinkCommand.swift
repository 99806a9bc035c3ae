import ArgumentParser
import Foundation
import SawahCore
import SawahJournal
import SawahTraceability

/// `sawah uplink`: the delivery queue per platform, and requeueing dead letters.
struct UplinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink",
        abstract: "Deliveries of certified batches to trade platforms: list them, requeue dead ones.",
        subcommands: [List.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show deliveries (dead ones by default) with attempts and the platform's last answer.")

        @OptionGroup var location: JournalLocation
        @Option(help: "Only this platform.") var platform: String?
        @Option(help: "pending, in_flight, delivered, dead, or all.") var state = "dead"
        @Option(name: .shortAndLong, help: "How many to show.") var limit = 50

        func run() throws {
            let wanted: DeliveryState?
            if state == "all" {
                wanted = nil
            } else if let parsed = DeliveryState(rawValue: state) {
                wanted = parsed
            } else {
                throw ValidationError("--state: expected pending, in_flight, delivered, dead or all, found \"\(state)\"")
            }
            let rows = try JournalReader(path: try location.path()).deliveries(platform: platform, state: wanted, limit: limit)
            if rows.isEmpty {
                print("no \(state == "all" ? "" : state + " ")deliveries")
                return
            }
            for row in rows {
                var line =
                    "batch \(row.batch)  \(row.platform)  \(row.state.rawValue)  attempts \(row.attempts)  updated \(EPCISTimestamp.format(row.updatedAt))"
                if row.state == .pending && row.nextAttempt > 0 { line += "  next attempt \(EPCISTimestamp.format(row.nextAttempt))" }
                print(line)
                if let error = row.lastError { print("    \(error)") }
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Requeue dead deliveries once their cause is fixed; sawahd sends them within a second or so.",
            discussion: "Give a batch number, or --all-dead. Without --platform, every platform's dead deliveries of that batch are requeued.")

        @OptionGroup var location: JournalLocation
        @Argument(help: "The batch to requeue.") var batch: Int64?
        @Flag(help: "Requeue every dead delivery.") var allDead = false
        @Option(help: "Only this platform.") var platform: String?

        func validate() throws {
            if (batch == nil) == !allDead { throw ValidationError("give a batch number or --all-dead (one of them)") }
        }

        func run() throws {
            let path = try location.path()
            let ledger = try DeliveryLedger(path: path, durability: .power)
            let count = try ledger.requeueDeliveries(platform: platform, batch: batch, now: Clock.nowMilliseconds())
            if count == 0 {
                let what = batch.map { "batch \($0)" } ?? "any batch"
                FileHandle.standardError.write(Data("sawah uplink retry: no dead delivery of \(what)\(platform.map { " to \($0)" } ?? "") to requeue\n".utf8))
                throw ExitCode.failure
            }
            print("requeued \(count) dead deliver\(count == 1 ? "y" : "ies")")
        }
    }
}
