/// What one attempt to deliver a batch (or a group of batches) came to.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The platform has it (accepted now, or already had it); `note` says which.
    case delivered(note: String?)
    /// Worth another try: a timeout, a reset, a 5xx, a 429. `after` is the platform's
    /// `Retry-After` in seconds, when it gave one.
    case retry(reason: String, after: Double?)
    /// The platform refused it for good (a 4xx other than 408/409/425/429): kept, with its
    /// answer, in the dead-letter state.
    case dead(reason: String)
}
