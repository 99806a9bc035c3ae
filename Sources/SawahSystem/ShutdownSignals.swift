import Dispatch
import Foundation
import ServiceLifecycle
import Synchronization

/// SIGTERM and SIGINT handling that is armed before anything else starts.
///
/// The service group's own signal handling only starts when the group runs; a `systemctl stop`
/// that arrived while the journal was still opening was seen to be lost, leaving the daemon
/// running until systemd's SIGKILL. These dispatch sources exist from the first moment; a
/// signal that comes before the group exists is remembered and handed to it, and the group
/// itself remembers a request made before it runs.
///
/// `@unchecked Sendable`: the sources are immutable after `init` and only ever resumed there;
/// all mutable state is in the mutex.
public final class ShutdownSignals: @unchecked Sendable {
    private struct State {
        var requested = false
        var group: ServiceGroup?
    }

    private let state = Mutex(State())
    private let sources: [DispatchSourceSignal]
    private static let queue = DispatchQueue(label: "sawah.signals")

    public init(_ signals: [Int32] = [SIGTERM, SIGINT]) {
        sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: Self.queue) }
        for source in sources {
            source.setEventHandler { [weak self] in self?.received() }
            source.resume()
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// True once a shutdown signal has arrived.
    public var requested: Bool { state.withLock { $0.requested } }

    /// Hands signals (past and future) to `group`.
    public func attach(_ group: ServiceGroup) {
        let alreadyRequested = state.withLock { state in
            state.group = group
            return state.requested
        }
        if alreadyRequested { trigger(group) }
    }

    private func received() {
        let group = state.withLock { state in
            state.requested = true
            return state.group
        }
        if let group { trigger(group) }
    }

    private func trigger(_ group: ServiceGroup) {
        // One short, bounded call; the group's run() does the actual shutdown.
        Task { await group.triggerGracefulShutdown() }
    }
}
