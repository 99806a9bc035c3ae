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

/// The limits a capture interface advertises (`OPTIONS /capture`), lowered when it answers 413.
struct CaptureLimits: Sendable, Equatable {
    /// `GS1-EPCIS-Capture-Limit`: events per capture.
    var events: Int?
    /// `GS1-EPCIS-Capture-File-Size-Limit`: bytes per capture.
    var bytes: Int?

    /// Groups items, in order, into captures that respect both limits. An item alone over a
    /// limit still gets a capture of its own: the platform's answer decides its fate.
    /// `overhead` is a document's size without its events.
    func chunk(_ items: [CaptureItem], overhead: Int = 1_024) -> [[CaptureItem]] {
        var chunks: [[CaptureItem]] = []
        var current: [CaptureItem] = []
        var currentEvents = 0
        var currentBytes = overhead
        for item in items {
            let fitsEvents = events.map { currentEvents + item.eventCount <= $0 } ?? true
            let fitsBytes = bytes.map { currentBytes + item.eventBytes <= $0 } ?? true
            if !current.isEmpty && !(fitsEvents && fitsBytes) {
                chunks.append(current)
                current = []
                currentEvents = 0
                currentBytes = overhead
            }
            current.append(item)
            currentEvents += item.eventCount
            currentBytes += item.eventBytes
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}
