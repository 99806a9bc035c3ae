/// The journal as retention sees it: what must be kept for sealing and delivery, and one
/// enforcement pass of the age, size and free-disk rules (PASSIVE checkpoints, counted
/// evictions, link-quality rows deleted with their readings).
public struct RetentionStore: Sendable {
    let journal: Journal

    /// The lowest sequence number the uplink still needs, or nil when nothing is held back.
    public func uplinkHoldFrom(lots: [(id: String, sensors: [String])], platforms: [String]) throws(JournalError) -> Int64? {
        try journal.uplinkHoldFrom(lots: lots, platforms: platforms)
    }

    /// One pass of `policy`; `freeDiskBytes` is asked as space is freed.
    public func enforce(_ policy: RetentionPolicy, freeDiskBytes: () -> Int64?) throws(JournalError) -> RetentionReport {
        try journal.enforce(policy, freeDiskBytes: freeDiskBytes)
    }
}

extension Journal {
    /// What reading sources may do: append, redelivery, sessions, checkpoints.
    public var ingest: IngestStore { IngestStore(journal: self) }
    /// What the sealer and key rotation may do.
    public var sealing: SealStore { SealStore(journal: self) }
    /// What retention may do.
    public var retention: RetentionStore { RetentionStore(journal: self) }
}
