import Testing

@testable import SawahCore
@testable import SawahUplink

@Suite struct CaptureLimitsTests {
    /// A batch document with `events` events whose `pad` makes each about `size` bytes.
    static func item(_ batch: Int64, events: Int = 1, size: Int = 100) throws -> CaptureItem {
        let list = (0..<events).map { index in
            #"{"type":"ObjectEvent","eventID":"ni:///sha-256;\#(batch)-\#(index)?ver=CBV2.0","pad":"\#(String(repeating: "x", count: max(0, size - 70)))"}"#
        }
        let document =
            #"{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-29T00:00:00.000Z","epcisBody":{"eventList":[\#(list.joined(separator: ","))]}}"#
        return try CaptureItem(batch: batch, document: Array(document.utf8))
    }

    @Test func itemsAreGroupedUnderTheEventLimitInOrder() throws {
        let items = try (1...25).map { try Self.item($0) }
        let chunks = CaptureLimits(events: 10, bytes: nil).chunk(items)
        #expect(chunks.map(\.count) == [10, 10, 5])
        #expect(chunks.flatMap { $0.map(\.batch) } == Array(1...25))
        let multi = try (1...5).map { try Self.item($0, events: 4) }
        #expect(CaptureLimits(events: 10, bytes: nil).chunk(multi).map(\.count) == [2, 2, 1], "a batch's events stay together")
    }

    @Test func itemsAreGroupedUnderTheByteLimitAndAnOversizedOneGoesAlone() throws {
        let items = try (1...6).map { try Self.item($0, size: 1_000) }
        let chunks = CaptureLimits(events: nil, bytes: 4_000).chunk(items)
        for chunk in chunks where chunk.count > 1 {
            #expect(CaptureItem.document(for: chunk).count <= 4_000)
        }
        #expect(chunks.count == 3)
        let big = try Self.item(7, size: 9_000)
        #expect(CaptureLimits(events: nil, bytes: 4_000).chunk([big] + items.prefix(2)).map(\.count) == [1, 2])
    }

    @Test func aRegroupedDocumentCarriesEveryEventAndOneItemGoesAsStored() throws {
        let items = try (1...3).map { try Self.item($0) }
        #expect(CaptureItem.document(for: [items[1]]) == items[1].document)
        let combined = try JSONValue.parse(CaptureItem.document(for: items))
        guard case .array(let events)? = combined.value(at: "epcisBody.eventList") else {
            Issue.record("no eventList")
            return
        }
        #expect(events.count == 3)
        #expect(combined.value(at: "type") == .string("EPCISDocument"))
        #expect(events.compactMap { if case .string(let id)? = $0.value(at: "eventID") { id } else { nil } } == items.flatMap(\.eventIDs))
    }

    @Test func aStoredDocumentWithoutEventsOrIDsIsNamed() {
        #expect(throws: CaptureItemError.self) { try CaptureItem(batch: 9, document: Array(#"{"epcisBody":{}}"#.utf8)) }
        do {
            _ = try CaptureItem(batch: 9, document: Array(#"{"epcisBody":{"eventList":[{"type":"ObjectEvent"}]}}"#.utf8))
        } catch {
            #expect(error.description == "batch 9: an event has no eventID")
        }
    }

    @Test func problemDocumentsBecomeOneReadableLine() {
        let body = Array(#"{"type":"epcisException:ValidationException","title":"Bad event","detail":"eventTime missing","status":400}"#.utf8)
        #expect(ProblemDetails.summary(status: 400, body: body) == "HTTP 400: Bad event: eventTime missing (epcisException:ValidationException)")
        #expect(ProblemDetails.summary(status: 502, body: Array("<html>Bad gateway</html>".utf8)) == "HTTP 502: <html>Bad gateway</html>")
        #expect(ProblemDetails.summary(status: 503, body: []) == "HTTP 503")
    }
}
