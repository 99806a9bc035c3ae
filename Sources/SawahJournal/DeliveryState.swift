/// Where one batch's delivery to one platform stands.
public enum DeliveryState: String, Sendable, CaseIterable {
    /// Waiting for its next attempt (`next_attempt`).
    case pending
    /// An attempt is running; after a crash it is pending again.
    case inFlight = "in_flight"
    /// The platform has it.
    case delivered
    /// The platform refused it for good; kept with its answer until requeued.
    case dead
}
