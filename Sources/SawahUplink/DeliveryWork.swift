import SawahCore
import SawahJournal
import SawahTraceability

/// What one worker sends in one go: a credentials bundle, or the events of a group of
/// batches for one EPCIS capture.
enum DeliveryWork: Sendable {
    case bundle(CertificateBundle)
    case capture([CaptureItem])

    /// Builds the work for the claimed batches from the journal. Batches that cannot be sent
    /// at all get their outcome at once: a key rotation has nothing to capture; a batch whose
    /// readings retention removed cannot be rebuilt for a credentials platform.
    static func load(_ numbers: [Int64], kind: PlatformConfiguration.Kind, reader: JournalReader) throws(JournalError) -> (
        DeliveryWork?, [Int64: DeliveryOutcome]
    ) {
        var settled: [Int64: DeliveryOutcome] = [:]
        var items: [CaptureItem] = []
        for number in numbers {
            guard let batch = try reader.batch(number) else {
                settled[number] = .dead(reason: "batch \(number) is not in the journal")
                continue
            }
            switch kind {
            case .credentials:
                var raw: [UInt8] = []
                if !batch.lot.isEmpty {
                    // Streamed into the serialisation: a full batch's rows would be megabytes.
                    var writer = RawSeries.Writer(capacity: Int(batch.readingCount))
                    try reader.forEachReading(of: batch) { writer.append(seq: $0.seq, reading: $0.reading) }
                    guard Int64(writer.rows) == batch.readingCount else {
                        settled[number] = .dead(
                            reason:
                                "retention removed \(batch.readingCount - Int64(writer.rows)) of the batch's \(batch.readingCount) readings before delivery; the raw series cannot be rebuilt"
                        )
                        continue
                    }
                    raw = writer.bytes
                }
                let bundle = CertificateBundle(number: batch.number, certificateID: batch.certificateID, jws: batch.jws, epcis: batch.epcis, rawSeries: raw)
                return (.bundle(bundle), settled)
            case .epcis:
                if batch.lot.isEmpty {
                    settled[number] = .delivered(note: "a key rotation carries no EPCIS events")
                    continue
                }
                do {
                    items.append(try CaptureItem(batch: number, document: batch.epcis))
                } catch {
                    settled[number] = .dead(reason: error.description)
                }
            }
        }
        return (items.isEmpty ? nil : .capture(items), settled)
    }
}
