/// One delivery row, with the batch it is about.
public struct DeliveryRecord: Sendable, Equatable {
    public var platform: String
    public var batch: Int64
    public var state: DeliveryState
    public var attempts: Int64
    public var nextAttempt: Int64
    public var lastError: String?
    public var updatedAt: Int64

    public init(platform: String, batch: Int64, state: DeliveryState, attempts: Int64, nextAttempt: Int64, lastError: String?, updatedAt: Int64) {
        self.platform = platform
        self.batch = batch
        self.state = state
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.lastError = lastError
        self.updatedAt = updatedAt
    }
}
