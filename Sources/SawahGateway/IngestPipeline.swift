import Logging
import SawahCore
import SawahJournal
import SawahMQTT
import SawahStatus
import SawahSystem
import Synchronization

/// Turns one group of MQTT messages into one batch for the `ReadingSink`: skip redeliveries,
/// route each message to its sensor, normalise it, quarantine what cannot be read.
///
/// It runs on the ingest loop's thread; `commit` returning is what allows the PUBACKs out.
public final class IngestPipeline: Sendable {
    let sink: ReadingSink
    let router: SensorRouter
    let clientID: String
    let logger: Logger

    public init(sink: ReadingSink, router: SensorRouter, clientID: String, logger: Logger) {
        self.sink = sink
        self.router = router
        self.clientID = clientID
        self.logger = logger
    }

    /// Decodes and commits `messages`; throws if the journal could not commit them, in which
    /// case none of them may be acknowledged.
    public func commit(_ messages: [MQTTMessage]) throws(JournalError) {
        let receivedAt = Clock.nowMilliseconds()
        let synchronised = sink.clockSynchronised()
        var batch = IngestBatch()
        // Packet id → digest of the messages already in this batch.
        var inBatch: [Int32: Int64] = [:]
        for message in messages {
            if message.qos > 0 {
                let entry = InboxEntry(client: clientID, mid: message.mid, digest: InboxEntry.digest(topic: message.topic, payload: message.payload))
                if sink.store.isRedelivery(entry) || inBatch[message.mid] == entry.digest {
                    batch.duplicates += 1
                    continue
                }
                inBatch[message.mid] = entry.digest
                batch.inbox.append(entry)
            }
            route(message, receivedAt: receivedAt, synchronised: synchronised, into: &batch)
        }
        try sink.store(batch, clockSynchronised: synchronised)
        if batch.duplicates > 0 {
            logger.notice("skipped redelivered messages", metadata: ["count": "\(batch.duplicates)"])
        }
    }

    private func route(_ message: MQTTMessage, receivedAt: Int64, synchronised: Bool, into batch: inout IngestBatch) {
        guard let normaliser = router.normaliser(for: message.topic) else {
            batch.quarantine.append(Self.quarantine(message, reason: "no sensor is configured for topic \"\(message.topic)\"", at: receivedAt))
            return
        }
        let outcome = normaliser.normalise(
            payload: message.payload, source: message.topic, receivedAt: receivedAt, gatewayClockSynchronised: synchronised)
        batch.readings += outcome.readings
        if !outcome.problems.isEmpty {
            let reason = "sensor \(normaliser.sensor.id): " + outcome.problems.joined(separator: "; ")
            batch.quarantine.append(Self.quarantine(message, reason: reason, at: receivedAt))
        }
    }

    /// Keeps at most the normaliser's size limit of raw bytes: enough to diagnose, while a
    /// flood of megabyte payloads cannot fill the disk. The original size is kept.
    static func quarantine(_ message: MQTTMessage, reason: String, at time: Int64) -> QuarantineRecord {
        let kept = Array(message.payload.prefix(PayloadNormaliser.maxPayloadBytes))
        return QuarantineRecord(source: message.topic, payload: kept, payloadSize: message.payload.count, reason: reason, receivedAt: time)
    }
}
