import Foundation
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

/// What the status page's API returns, built from the journal at each request.
enum StatusDocument {
    /// `sawah status --json`, plus each series' newest value and the newest quarantined
    /// payloads with their reasons.
    static func status(config: GatewayConfiguration) throws -> JSONValue {
        let reader = try JournalReader(path: config.journalPath)
        let latest = try reader.latestValues()
        let status = try GatewayStatus.collect(config: config, latest: latest)
        guard case .object(var object) = status.json else { return status.json }
        object["latest"] = .array(
            latest.map { value in
                .object([
                    "sensor": .string(value.sensor), "quantity": .string(value.quantity), "unit": .string(value.unit),
                    "value": .number(value.value), "observed_at": .string(EPCISTimestamp.format(value.observedAt)),
                    "age_seconds": .number(Double(max(0, status.now - value.receivedAt) / 1000)), "quality": .number(Double(value.quality))
                ])
            })
        object["quarantine"] = .array(
            try reader.quarantine(limit: 20).map { entry in
                .object([
                    "id": .number(Double(entry.id)), "source": .string(entry.record.source), "reason": .string(entry.record.reason),
                    "received_at": .string(EPCISTimestamp.format(entry.record.receivedAt)),
                    "payload": .string(String(decoding: entry.record.payload.prefix(160), as: UTF8.self))
                ])
            })
        object["refresh_seconds"] = .number(Double(config.web.refreshSeconds))
        object["clock_policy"] = .string(config.clock.rawValue)
        return .object(object)
    }

    /// A mean as a plot needs it: six significant digits (a phone on a rural link downloads
    /// every digit of every bucket; a pixel never shows the seventh).
    static func plotted(_ mean: Double) -> Double {
        guard mean.isFinite, mean != 0 else { return mean }
        let scale = Foundation.pow(10, 5 - Foundation.floor(Foundation.log10(Swift.abs(mean))))
        return (mean * scale).rounded() / scale
    }

    /// Every series over `range` ending now, bucketed by the server.
    static func series(config: GatewayConfiguration, range: SeriesRange, now: Int64) throws -> JSONValue {
        let reader = try JournalReader(path: config.journalPath)
        let from = now - range.milliseconds
        let summaries = try reader.seriesSummaries(from: from, to: now, bucketMilliseconds: range.bucketMilliseconds)
        return .object([
            "range": .string(range.rawValue), "from": .number(Double(from)), "to": .number(Double(now)),
            "bucket_ms": .number(Double(range.bucketMilliseconds)),
            "series": .array(
                summaries.map { summary in
                    .object([
                        "sensor": .string(summary.sensor), "quantity": .string(summary.quantity), "unit": .string(summary.unit),
                        // [start ms, min, max, mean, count]: compact, since a month is ~360 per series.
                        "buckets": .array(
                            summary.buckets.map { bucket in
                                .array([
                                    .number(Double(bucket.start)), .number(bucket.min), .number(bucket.max), .number(Self.plotted(bucket.mean)),
                                    .number(Double(bucket.count))
                                ])
                            })
                    ])
                })
        ])
    }
}
