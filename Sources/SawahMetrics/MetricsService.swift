import Hummingbird
import Logging
import Prometheus
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle
import Synchronization

/// A Prometheus endpoint (`GET /metrics`) with the gateway's figures, measured from the
/// journal at each scrape so they match what `sawah status` and the health topic show.
public struct MetricsService: Service {
    let application: Application<RouterResponder<BasicRequestContext>>

    public init(config: GatewayConfiguration, logger: Logger) {
        let registry = PrometheusCollectorRegistry()
        let figures = MetricFigures(registry: registry)
        let reader = JournalReader.Factory(path: config.journalPath)
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            // A journal that cannot be read is a failed scrape (503, which Prometheus records as
            // `up 0` with the reason), never the last figures served again as if current.
            do {
                let (report, counters) = try reader.withReader { reader in
                    (try HealthReport.measure(reader: reader, journalPath: config.journalPath, dataDirectory: config.dataDirectory), try reader.counters())
                }
                figures.received.follow(report.lastSequence)
                figures.redeliveries.follow(counters["mqtt_redeliveries_skipped"] ?? 0)
                figures.readings.set(Double(report.readingsTotal))
                figures.quarantined.follow(report.quarantinedTotal)
                figures.evicted.follow(report.evicted)
                figures.journalBytes.set(Double(report.journalBytes))
                figures.freeDisk.set(Double(report.freeDiskBytes ?? 0))
                figures.batches.follow(report.batchesSealed)
                figures.clockSynchronized.set(report.clock?.synchronized == true ? Double(1) : Double(0))
                figures.clockMaxError.set(Double(report.clock?.maxErrorMicroseconds ?? 0) / 1_000_000)
            } catch {
                logger.error("metrics scrape failed: cannot read the journal", metadata: ["journal": "\(config.journalPath)", "error": "\(error)"])
                return Self.text(.serviceUnavailable, "cannot read the journal \(config.journalPath): \(error)\n")
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Self.text(.ok, String(decoding: buffer, as: UTF8.self))
        }
        application = Application(
            router: router,
            configuration: .init(address: .hostname(config.metrics.address, port: config.metrics.port), serverName: "sawahd"),
            logger: logger)
    }

    public func run() async throws {
        try await application.run()
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// What the endpoint exports. Levels are gauges; totals that only grow are counters (`_total`),
/// following Prometheus naming, so `rate()` and `increase()` work on them.
struct MetricFigures: Sendable {
    let readings, journalBytes, freeDisk, clockSynchronized, clockMaxError: Gauge
    let quarantined, evicted, batches, received, redeliveries: JournalTotal

    /// A full metric name as it is exported (the unit is part of `name`).
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    init(registry: PrometheusCollectorRegistry) {
        readings = registry.makeGauge(descriptor: Self.named("sawah_journal_readings", "Readings in the journal now (retention removes old ones)"))
        journalBytes = registry.makeGauge(descriptor: Self.named("sawah_journal_bytes", "Journal file size, WAL included"))
        freeDisk = registry.makeGauge(descriptor: Self.named("sawah_free_disk_bytes", "Free space on the journal's filesystem"))
        clockSynchronized = registry.makeGauge(
            descriptor: Self.named("sawah_clock_synchronized", "1 when the kernel counts the system clock as synchronised by NTP, else 0"))
        clockMaxError = registry.makeGauge(descriptor: Self.named("sawah_clock_max_error_seconds", "The kernel's maximum error of the system clock"))
        quarantined = JournalTotal(registry.makeCounter(descriptor: Self.named("sawah_quarantined_total", "Payloads quarantined since the journal was made")))
        evicted = JournalTotal(registry.makeCounter(descriptor: Self.named("sawah_evicted_total", "Rows evicted by retention")))
        batches = JournalTotal(
            registry.makeCounter(descriptor: Self.named("sawah_batches_sealed_total", "Chain links sealed (batches, key rotations, records)")))
        received = JournalTotal(
            registry.makeCounter(descriptor: Self.named("sawah_readings_stored_total", "Readings ever stored (the newest reading's gateway sequence number)")))
        redeliveries = JournalTotal(
            registry.makeCounter(descriptor: Self.named("sawah_mqtt_redeliveries_skipped_total", "Redelivered MQTT messages recognised and skipped")))
    }
}

/// A counter that follows a total the journal keeps: each scrape adds what the total grew by
/// since the last one. A total that went down (another journal file) is not followed
/// backwards; a counter only grows.
final class JournalTotal: Sendable {
    private let counter: Counter
    private let last = Mutex<Int64>(0)

    init(_ counter: Counter) {
        self.counter = counter
    }

    func follow(_ total: Int64) {
        let grown = last.withLock { last -> Int64 in
            defer { last = max(last, total) }
            return max(0, total - last)
        }
        if grown > 0 { counter.increment(by: grown) }
    }
}
