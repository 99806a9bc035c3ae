import Hummingbird
import Logging
import Prometheus
import SawahCore
import SawahJournal
import ServiceLifecycle

/// A Prometheus endpoint (`GET /metrics`) with the health figures and the ingest counters,
/// measured from the journal at each scrape so they match what `sawah status` shows.
public struct MetricsService: Service {
    let application: Application<RouterResponder<BasicRequestContext>>

    public init(config: GatewayConfiguration, stats: IngestStats, logger: Logger) {
        let registry = PrometheusCollectorRegistry()
        let figures = MetricFigures(registry: registry)
        let reader = JournalReader.Factory(path: config.journalPath)
        let router = Router()
        router.get("/metrics") { _, _ -> String in
            let totals = stats.snapshot
            figures.ingestReadings.set(Double(totals.readings))
            figures.ingestCommits.set(Double(totals.commits))
            figures.ingestDuplicates.set(Double(totals.duplicates))
            if let report = try? reader.withReader({ try HealthReport.measure(reader: $0, journalPath: config.journalPath, dataDirectory: config.dataDirectory) }) {
                figures.readings.set(Double(report.readingsTotal))
                figures.quarantined.set(Double(report.quarantinedTotal))
                figures.evicted.set(Double(report.evicted))
                figures.journalBytes.set(Double(report.journalBytes))
                figures.freeDisk.set(Double(report.freeDiskBytes ?? 0))
                figures.batches.set(Double(report.batchesSealed))
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return String(decoding: buffer, as: UTF8.self)
        }
        application = Application(
            router: router,
            configuration: .init(address: .hostname(config.metrics.address, port: config.metrics.port), serverName: "sawahd"),
            logger: logger)
    }

    public func run() async throws {
        try await application.run()
    }
}

/// The gauges the endpoint exports (totals are gauges: they are read, not incremented, here).
struct MetricFigures: Sendable {
    let readings, quarantined, evicted, journalBytes, freeDisk, batches, ingestReadings, ingestCommits, ingestDuplicates: Gauge

    init(registry: PrometheusCollectorRegistry) {
        readings = registry.makeGauge(name: "sawah_journal_readings", help: "Readings in the journal")
        quarantined = registry.makeGauge(name: "sawah_quarantined_total", help: "Payloads quarantined since the journal was made")
        evicted = registry.makeGauge(name: "sawah_evicted_total", help: "Rows evicted by retention")
        journalBytes = registry.makeGauge(name: "sawah_journal_bytes", help: "Journal file size, WAL included")
        freeDisk = registry.makeGauge(name: "sawah_free_disk_bytes", help: "Free space on the journal's filesystem")
        batches = registry.makeGauge(name: "sawah_batches_sealed", help: "Certificate batches sealed")
        ingestReadings = registry.makeGauge(name: "sawah_ingest_readings", help: "Readings committed since sawahd started")
        ingestCommits = registry.makeGauge(name: "sawah_ingest_commits", help: "Group commits since sawahd started")
        ingestDuplicates = registry.makeGauge(name: "sawah_ingest_redeliveries_skipped", help: "Redelivered MQTT messages skipped since sawahd started")
    }
}

extension JournalReader.Factory {
    /// Runs `body` with the reader under a lock: scrapes may come concurrently.
    func withReader<T>(_ body: (JournalReader) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(try open())
    }
}
