import SawahCore
import Synchronization

/// The newest reading of each sensor and quantity, for the dashboard feed. Bounded by the
/// number of configured series; the ingest thread writes, the dashboard takes what changed.
public final class LatestValues: Sendable {
    private struct State {
        var latest: [String: Reading] = [:]
        var changed: Set<String> = []
    }

    private let state = Mutex(State())

    public init() {}

    func update(_ readings: [Reading]) {
        guard !readings.isEmpty else { return }
        state.withLock { state in
            for reading in readings {
                let key = "\(reading.sensor)/\(reading.quantity)"
                if let current = state.latest[key], current.observedAt > reading.observedAt { continue }
                state.latest[key] = reading
                state.changed.insert(key)
            }
        }
    }

    /// The readings that changed since the last call.
    func takeChanged() -> [Reading] {
        state.withLock { state in
            let result = state.changed.compactMap { state.latest[$0] }
            state.changed.removeAll(keepingCapacity: true)
            return result
        }
    }
}
