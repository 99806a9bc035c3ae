import Synchronization

/// Progress marks from the ingest pipeline, read by the watchdog. The ingest loop marks when
/// it has committed a batch or is idle with nothing pending; a loop stuck in a commit or a
/// lock stops marking, the watchdog stops pinging, and systemd restarts the daemon.
public final class PipelineHeartbeat: Sendable {
    private let ingest = Atomic<Int64>(0)

    public init() {
        markIngest()
    }

    /// The ingest loop committed a batch, or was idle with nothing waiting.
    public func markIngest() {
        ingest.store(MonotonicClock.milliseconds(), ordering: .relaxed)
    }

    /// Milliseconds since the ingest loop last made progress.
    public var ingestAge: Int64 {
        MonotonicClock.milliseconds() - ingest.load(ordering: .relaxed)
    }
}
