/// A requested line. Edge events queue in the kernel; `eventDescriptor` becomes readable when
/// one is waiting, so a caller sleeps in `poll` instead of polling the level.
public protocol GPIOLine: AnyObject {
    /// The logical level (active-low applied).
    func value() throws(GPIOError) -> Bool
    /// Readable when edge events are waiting; -1 for a line requested without edges.
    var eventDescriptor: Int32 { get }
    /// Reads the waiting edge events (at most `max`); call when `eventDescriptor` is readable.
    func readEvents(max: Int) throws(GPIOError) -> [GPIOEdgeEvent]
    /// Releases the line (also done on deinit).
    func release()
}

/// Opens lines on GPIO chips.
public protocol GPIOBackend: Sendable {
    func request(_ request: GPIOLineRequest) throws(GPIOError) -> any GPIOLine
}
