/// Counts pulses from edge events (rain gauge tips, anemometer turns, flow meter pulses) with a
/// debounce window: an edge within `debounce` of the last counted one is contact bounce, not a
/// pulse. Keeps the running total (checkpointed in the journal) and the count of the current
/// report interval.
public struct PulseCounter: Sendable, Equatable {
    public let debounceNanoseconds: Int64
    /// Every pulse counted since the sensor was first configured (restored from the journal).
    public private(set) var total: Int64
    /// Pulses since the last `closeInterval()`.
    public private(set) var inInterval: Int64 = 0
    /// Edges ignored as bounce, for the log and the health topic.
    public private(set) var bounces: Int64 = 0
    private var lastCounted: Int64?

    public init(total: Int64 = 0, debounceMilliseconds: Double) {
        self.total = total
        self.debounceNanoseconds = Int64(debounceMilliseconds * 1_000_000)
    }

    /// Counts the edge seen at `nanoseconds` (CLOCK_MONOTONIC) unless it is a bounce; true if counted.
    @discardableResult
    public mutating func record(_ nanoseconds: Int64) -> Bool {
        if let lastCounted, nanoseconds - lastCounted < debounceNanoseconds {
            bounces += 1
            return false
        }
        lastCounted = nanoseconds
        total += 1
        inInterval += 1
        return true
    }

    /// Ends the report interval: the pulses in it; the next interval starts at 0.
    public mutating func closeInterval() -> Int64 {
        defer { inInterval = 0 }
        return inInterval
    }
}
