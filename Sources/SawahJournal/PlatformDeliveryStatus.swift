/// A platform's delivery figures, for `sawah status` and the health topic.
public struct PlatformDeliveryStatus: Sendable, Equatable {
    public var platform: String
    public var delivered: Int64 = 0
    public var pending: Int64 = 0
    public var inFlight: Int64 = 0
    public var dead: Int64 = 0
    /// Batches sealed that have no delivery row yet (the uplink has not seen them).
    public var unseen: Int64 = 0
    /// Creation time (ms) of the oldest batch not yet delivered (pending, in flight or unseen).
    public var oldestUndeliveredCreatedAt: Int64?
    /// Readings in batches not yet delivered.
    public var undeliveredReadings: Int64 = 0
    /// Batches delivered in the last `windowMilliseconds` asked for.
    public var recentBatches: Int64 = 0
    /// From the first of those deliveries to now (ms): the span the rate is measured over, so
    /// a gateway that started five minutes ago is not judged over ten.
    public var recentSpanMilliseconds: Int64 = 0
    public var lastError: String?
    public var lastErrorBatch: Int64?

    public init(platform: String) {
        self.platform = platform
    }

    /// Batches still to deliver (dead ones excluded: they wait for an operator).
    public var backlog: Int64 { pending + inFlight + unseen }

    /// Seconds to drain the backlog at the recent delivery rate; nil with no recent rate.
    public func secondsToDrain() -> Double? {
        guard backlog > 0 else { return 0 }
        guard recentBatches > 0 else { return nil }
        // At least a second, so one delivery a moment ago does not promise an instant drain.
        let span = Double(max(recentSpanMilliseconds, 1_000)) / 1000
        return Double(backlog) / (Double(recentBatches) / span)
    }
}
