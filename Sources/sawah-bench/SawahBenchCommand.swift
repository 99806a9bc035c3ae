import ArgumentParser

/// `sawah-bench`: benchmarks that print figures. Run them from a release build
/// (`swift build -c release && .build/release/sawah-bench ingest`), with nothing else heavy
/// running; they start their own broker on loopback.
@main
struct SawahBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sawah-bench",
        abstract: "Sawah benchmarks.",
        subcommands: [
            IngestBenchmark.self, PublishersBenchmark.self, WearBenchmark.self, SealBenchmark.self, SealingLatencyBenchmark.self, UplinkBenchmark.self,
            ClaimsBenchmark.self, WebBenchmark.self
        ])
}
