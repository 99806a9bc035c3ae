import ArgumentParser
import Foundation
import SawahJournal

struct ReadingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readings",
        abstract: "Look at and export the readings in the journal.",
        subcommands: [Tail.self, Export.self])

    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the newest readings; with --follow, keep showing new ones.")

        @OptionGroup var location: JournalLocation
        @Option(name: [.customShort("n"), .long], help: "How many of the newest readings to show first.")
        var lines: Int = 20
        @Flag(name: .shortAndLong, help: "Keep running and print readings as they are committed.")
        var follow = false
        @Option(help: "With --follow, stop after this many seconds (for scripts).")
        var seconds: Double?

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            var last: Int64 = 0
            for row in try reader.latestReadings(limit: lines) {
                print(ReadingFormatter.human(row))
                last = row.seq
            }
            guard follow else { return }
            let stop = seconds.map { Date().addingTimeInterval($0) }
            while stop.map({ Date() < $0 }) ?? true {
                let rows = try reader.readings(afterSeq: last, limit: 1_000)
                for row in rows { print(ReadingFormatter.human(row)) }
                last = rows.last?.seq ?? last
                fflush(nil)
                if rows.isEmpty { usleep(500_000) }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the readings observed in [--from, --to) as CSV or JSON Lines; without either, from the first or to the last.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

        @OptionGroup var location: JournalLocation
        @Option(help: "Start (inclusive): 2026-11-01, 2026-11-01T06:00:00Z or milliseconds since 1970 (default: the first reading).")
        var from: TimeArgument?
        @Option(help: "End (exclusive), same forms as --from (default: after the last reading).")
        var to: TimeArgument?
        @Option(help: "csv or jsonl.")
        var format: Format = .csv
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        func validate() throws {
            if let from, let to, from.milliseconds >= to.milliseconds {
                throw ValidationError("--from must be before --to")
            }
        }

        func run() throws {
            let reader = try JournalReader(path: try location.path())
            // Every observed time fits in [Int64.min, Int64.max): the whole journal by default.
            let from = self.from?.milliseconds ?? .min
            let to = self.to?.milliseconds ?? .max
            let sink = try OutputSink(path: output)
            // Counting is a second scan of the range: only worth it when a person watches.
            let total = ProgressLine.enabled ? try reader.countReadings(observedFrom: from, to: to) : 0
            let progress = ProgressLine(total: total)
            if format == .csv { sink.write(ReadingFormatter.csvHeader) }
            var written: Int64 = 0
            try reader.forEachReading(observedFrom: from, to: to) { row in
                sink.write(format == .csv ? ReadingFormatter.csv(row) : ReadingFormatter.jsonLine(row))
                written += 1
                progress.update(written)
            }
            sink.close()
            progress.finish(written)
        }
    }
}
