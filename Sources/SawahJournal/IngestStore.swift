/// The journal as a reading source sees it: append a batch (readings, quarantine, the MQTT
/// messages it acknowledges, GPIO checkpoints), recognise a redelivered message, forget an MQTT
/// session, read back a checkpoint. Nothing else: a source cannot seal, prune or migrate.
public struct IngestStore: Sendable {
    let journal: Journal

    /// Writes the batch in one transaction; when this returns, all of it is committed.
    @discardableResult
    public func append(_ batch: IngestBatch) throws(JournalError) -> ClosedRange<Int64>? {
        try journal.append(batch)
    }

    /// The same, suspending the calling task rather than its thread.
    @discardableResult
    public func append(_ batch: IngestBatch) async throws(JournalError) -> ClosedRange<Int64>? {
        try await journal.append(batch)
    }

    /// True when this MQTT message was stored already (a redelivery after a lost PUBACK).
    public func isRedelivery(_ entry: InboxEntry) -> Bool {
        journal.isRedelivery(entry)
    }

    /// The broker kept no session for `client`: nothing from before can be redelivered.
    public func forgetSession(client: String) throws(JournalError) {
        try journal.forgetSession(client: client)
    }

    /// A counter's value (a checkpointed GPIO pulse total), or nil if never written.
    public func counter(_ name: String) throws(JournalError) -> Int64? {
        try journal.counter(name)
    }

    /// The journal file, for a reader of what was stored.
    public var path: String { journal.path }
}
