import Hummingbird
import Logging
import Prometheus
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle

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
                figures.lastSequence.set(Double(report.lastSequence))
                figures.redeliveries.set(Double(counters["mqtt_redeliveries_skipped"] ?? 0))
                figures.readings.set(Double(report.readingsTotal))
                figures.quarantined.set(Double(report.quarantinedTotal))
                figures.evicted.set(Double(report.evicted))
                figures.journalBytes.set(Double(report.journalBytes))
                figures.freeDisk.set(Double(report.freeDiskBytes ?? 0))
                figures.batches.set(Double(report.batchesSealed))
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

/// The gauges the endpoint exports (totals are gauges: they are read, not incremented, here).
struct MetricFigures: Sendable {
    let readings, quarantined, evicted, journalBytes, freeDisk, batches, lastSequence, redeliveries: Gauge
    let clockSynchronized, clockMaxError: Gauge

    /// A full metric name as it is exported (the unit is part of `name`).
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    init(registry: PrometheusCollectorRegistry) {
        readings = registry.makeGauge(descriptor: Self.named("sawah_journal_readings", "Readings in the journal"))
        quarantined = registry.makeGauge(descriptor: Self.named("sawah_quarantined_total", "Payloads quarantined since the journal was made"))
        evicted = registry.makeGauge(descriptor: Self.named("sawah_evicted_total", "Rows evicted by retention"))
        journalBytes = registry.makeGauge(descriptor: Self.named("sawah_journal_bytes", "Journal file size, WAL included"))
        freeDisk = registry.makeGauge(descriptor: Self.named("sawah_free_disk_bytes", "Free space on the journal's filesystem"))
        batches = registry.makeGauge(descriptor: Self.named("sawah_batches_sealed", "Certificate batches sealed"))
        lastSequence = registry.makeGauge(
            descriptor: Self.named("sawah_last_sequence", "Gateway sequence number of the newest reading (a counter of readings ever stored)"))
        redeliveries = registry.makeGauge(descriptor: Self.named("sawah_mqtt_redeliveries_skipped_total", "Redelivered MQTT messages recognised and skipped"))
        clockSynchronized = registry.makeGauge(
            descriptor: Self.named("sawah_clock_synchronized", "1 when the kernel counts the system clock as synchronised by NTP, else 0"))
        clockMaxError = registry.makeGauge(descriptor: Self.named("sawah_clock_max_error_seconds", "The kernel's maximum error of the system clock"))
    }
}
