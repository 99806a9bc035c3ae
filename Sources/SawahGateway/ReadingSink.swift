import Logging
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem

/// The one way readings enter the journal, whatever their source (MQTT, GPIO, sysfs): the
/// batch is committed in one transaction, then counted, offered to the dashboard feed, and
/// every payload it quarantined is logged the same way.
///
/// Before this existed each source wrote to the journal on its own, and only MQTT's values
/// reached the dashboard feed: a GPIO rain gauge or a 1-Wire probe was stored but never
/// published live.
public final class ReadingSink: Sendable {
    /// The journal, as far as a reading source may use it.
    let store: IngestStore
    let logger: Logger
    /// Running totals, for logs and the health topic.
    public let stats = IngestStats()
    /// The newest value per series, for the dashboard feed.
    public let latest = LatestValues()
    /// Whether the last commit succeeded; blocked from the first failure until one succeeds.
    private let ingestState = LockedValue(IngestState())

    /// Whether the gateway's clock is synchronised now (`ClockSync`, or always for a clock
    /// the config trusts); readings stored while it is not are flagged.
    public let clockSynchronised: @Sendable () -> Bool

    public init(store: IngestStore, logger: Logger, clockSynchronised: @escaping @Sendable () -> Bool = { true }) {
        self.store = store
        self.logger = logger
        self.clockSynchronised = clockSynchronised
    }

    /// Commits `batch`; when this returns, all of it is durable (and a source may acknowledge
    /// it). Throws if the journal could not commit it, in which case nothing of it was stored.
    /// `clockSynchronised` is the caller's own reading of the clock when it has one (the MQTT
    /// path judged device times by it), so the clock is asked once per commit.
    public func store(_ batch: IngestBatch, clockSynchronised: Bool? = nil) throws(JournalError) {
        let batch = flaggingTheClock(batch, synchronised: clockSynchronised)
        do {
            try store.append(batch)
        } catch {
            failed(error)
            throw error
        }
        stored(batch)
    }

    /// The same, for a source running as a task on the cooperative pool (the sysfs poller):
    /// the task waits for the journal's writer thread without holding a pool thread.
    public func store(_ batch: IngestBatch) async throws(JournalError) {
        let batch = flaggingTheClock(batch, synchronised: nil)
        do {
            try await store.append(batch)
        } catch {
            failed(error)
            throw error
        }
        stored(batch)
    }

    /// Every reading stored while the clock is not synchronised says so, whatever its source
    /// (the MQTT path has flagged its own already, and judged device times by it).
    private func flaggingTheClock(_ batch: IngestBatch, synchronised: Bool?) -> IngestBatch {
        guard !batch.readings.isEmpty, !(synchronised ?? clockSynchronised()) else { return batch }
        var flagged = batch
        for index in flagged.readings.indices { flagged.readings[index].quality.insert(.unsynchronisedGatewayClock) }
        return flagged
    }

    /// Whether readings are being stored, for the health topic and the metrics.
    public var state: IngestState { ingestState.withLock { $0 } }

    private func failed(_ error: JournalError) {
        let now = Clock.nowMilliseconds()
        // Only on a failure: a read of the mount table is cheap, but not per commit.
        let cause: IngestState.Cause =
            error.isDiskFull ? .diskFull : DiskSpace.isReadOnly(at: Journal.directory(of: store.path)) ? .readOnly : .journal
        let first = ingestState.withLock { state in
            defer { state = IngestState(blockedSince: state.blockedSince ?? now, reason: error.description, cause: cause) }
            return state.blockedSince == nil
        }
        if first {
            logger.critical(
                "the journal refuses writes: nothing is acknowledged until it accepts them again",
                metadata: ["cause": "\(cause.rawValue)", "error": "\(error)"])
        }
    }

    private func stored(_ batch: IngestBatch) {
        if let since = ingestState.withLock({ state in
            defer { state = IngestState() }
            return state.blockedSince
        }) {
            logger.notice("the journal accepts writes again; ingest resumed", metadata: ["blocked_seconds": "\((Clock.nowMilliseconds() - since) / 1000)"])
        }
        stats.add(batch)
        latest.update(batch.readings)
        for record in batch.quarantine {
            logger.warning(
                "quarantined payload",
                metadata: ["source": "\(record.source)", "bytes": "\(record.payloadSize)", "reason": "\(record.reason)"])
        }
    }
}
