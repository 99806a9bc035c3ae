import Hummingbird
import Logging
import Prometheus
import SawahCore
import SawahStatus
import SawahSystem
import SawahJournal
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

    init(registry: PrometheusCollectorRegistry) {
        readings = registry.makeGauge(name: "sawah_journal_readings", help: "Readings in the journal")
        quarantined = registry.makeGauge(name: "sawah_quarantined_total", help: "Payloads quarantined since the journal was made")
        evicted = registry.makeGauge(name: "sawah_evicted_total", help: "Rows evicted by retention")
        journalBytes = registry.makeGauge(name: "sawah_journal_bytes", help: "Journal file size, WAL included")
        freeDisk = registry.makeGauge(name: "sawah_free_disk_bytes", help: "Free space on the journal's filesystem")
        batches = registry.makeGauge(name: "sawah_batches_sealed", help: "Certificate batches sealed")
        lastSequence = registry.makeGauge(name: "sawah_last_sequence", help: "Gateway sequence number of the newest reading (a counter of readings ever stored)")
        redeliveries = registry.makeGauge(name: "sawah_mqtt_redeliveries_skipped_total", help: "Redelivered MQTT messages recognised and skipped")
    }
}


