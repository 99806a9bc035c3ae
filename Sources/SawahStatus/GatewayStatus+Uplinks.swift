import SawahCore
import SawahJournal
import SawahTraceability

extension GatewayStatus {
    /// The delivery rate behind the drain estimate is measured over the last ten minutes.
    static let uplinkRateWindow: Int64 = 600_000

    func uplinkJSON(_ status: PlatformDeliveryStatus) -> JSONValue {
        let drain = status.secondsToDrain()
        return .object([
            "platform": .string(status.platform),
            "delivered": .number(Double(status.delivered)),
            "pending": .number(Double(status.backlog)),
            "in_flight": .number(Double(status.inFlight)),
            "dead": .number(Double(status.dead)),
            "undelivered_readings": .number(Double(status.undeliveredReadings)),
            "oldest_undelivered_age_seconds": status.oldestUndeliveredCreatedAt.map { .number(Double((now - $0) / 1000)) } ?? .null,
            "last_error": status.lastError.map(JSONValue.string) ?? .null,
            "last_error_batch": status.lastErrorBatch.map { .number(Double($0)) } ?? .null,
            "delivered_last_10_min": .number(Double(status.recentBatches)),
            "seconds_to_drain": drain.map { .number($0.rounded()) } ?? .null
        ])
    }

    var uplinkLines: [String] {
        guard !uplinks.isEmpty else { return ["Uplinks  none configured ([[platforms]] in the config)"] }
        var lines = ["Uplinks"]
        for status in uplinks {
            var line = "  \(status.platform): \(status.delivered) delivered, \(status.backlog) pending, \(status.dead) dead"
            if let oldest = status.oldestUndeliveredCreatedAt, status.backlog > 0 {
                line += "; oldest undelivered \(Self.age(now - oldest)) old"
            }
            if status.backlog > 0 {
                if let seconds = status.secondsToDrain() {
                    line += "; drains in about \(Self.age(Int64(seconds * 1000)))"
                } else {
                    line += "; nothing delivered in the last 10 min"
                }
            }
            lines.append(line)
            if let error = status.lastError {
                lines.append("    last error (batch \(status.lastErrorBatch ?? 0)): \(error)")
            }
            if status.dead > 0 {
                lines.append("    dead batches wait for `sawah uplink retry --all-dead --platform \(status.platform)` once the cause is fixed")
            }
        }
        return lines
    }
}
