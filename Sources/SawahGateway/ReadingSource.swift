import ServiceLifecycle

/// Where readings come from: the MQTT ingest loop, the GPIO workers, the sysfs poller. Each
/// reads in its own way and stores everything through the one `ReadingSink`, with values
/// made readings by its sensor's `Normaliser` (calibration, rounding, range check) and
/// anything unusable quarantined with the source's own words for what it saw.
public protocol ReadingSource: Sendable {
    /// A name for logs ("mqtt", "gpio", "sysfs").
    var name: String { get }
    /// Reads until a graceful shutdown or cancellation, storing through `sink`. A source that
    /// cannot go on throws, which ends sawahd (systemd restarts it).
    func run(storingInto sink: ReadingSink) async throws
}

/// A reading source as one service of sawahd's group.
struct ReadingSourceService: Service {
    let source: any ReadingSource
    let sink: ReadingSink

    func run() async throws {
        try await source.run(storingInto: sink)
    }
}
