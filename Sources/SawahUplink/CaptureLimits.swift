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
