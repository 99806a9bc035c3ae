import Foundation
import SawahCore
import SawahTraceability

/// One batch's EPCIS events on their way to a capture interface.
struct CaptureItem: Sendable {
    var batch: Int64
    /// The batch's stored EPCIS document, byte for byte as signed.
    var document: [UInt8]
    var eventIDs: [String]
    /// Each event serialised, so captures can be sized and assembled without reserialising.
    var eventTexts: [String]

    /// Reads the events out of a stored document; the error says what is wrong with it.
    init(batch: Int64, document: [UInt8]) throws(CaptureItemError) {
        self.batch = batch
        self.document = document
        // Only the events' ids and text are kept: a capture group holds up to a hundred
        // batches, and their parsed trees would be megabytes.
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(document) } catch { throw CaptureItemError(batch: batch, problem: error.description) }
        guard case .array(let events)? = parsed.value(at: "epcisBody.eventList") else {
            throw CaptureItemError(batch: batch, problem: "the stored EPCIS document has no epcisBody.eventList")
        }
        eventIDs = events.compactMap { if case .string(let id)? = $0.value(at: "eventID") { id } else { nil } }
        guard eventIDs.count == events.count else { throw CaptureItemError(batch: batch, problem: "an event has no eventID") }
        eventTexts = events.map(JSONText.serialize)
    }

    var eventCount: Int { eventIDs.count }
    var eventBytes: Int { eventTexts.reduce(0) { $0 + $1.utf8.count + 1 } }

    /// One EPCIS document carrying the events of `items`, with the first item's header and
    /// context. A single item goes as its stored bytes.
    static func document(for items: [CaptureItem]) -> [UInt8] {
        if items.count == 1 { return items[0].document }
        guard case .object(var root)? = try? JSONValue.parse(items[0].document), case .object(var body)? = root["epcisBody"] else { return items[0].document }
        let marker = "@@sawah-event-list@@"
        body["eventList"] = .string(marker)
        root["epcisBody"] = .object(body)
        let events = "[" + items.flatMap(\.eventTexts).joined(separator: ",") + "]"
        return Array(JSONText.serialize(.object(root)).replacingOccurrences(of: "\"\(marker)\"", with: events).utf8)
    }
}

struct CaptureItemError: Error, CustomStringConvertible {
    var batch: Int64
    var problem: String
    var description: String { "batch \(batch): \(problem)" }
}
