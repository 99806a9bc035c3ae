import SawahCore
import Synchronization

/// The newest reading of each sensor and quantity, for the dashboard feed. Bounded by the
/// number of configured series; the ingest thread writes, the dashboard takes what changed.
///
/// `update` runs for every reading on the ingest thread, so it costs one hash lookup per
/// reading: the key is the pair of strings itself (no interpolated string allocated per
/// reading), and "changed" lives beside the value rather than in a second set.
public final class LatestValues: Sendable {
    private struct Series: Hashable {
        let sensor: String
        let quantity: String
    }

    private struct Entry {
        var reading: Reading
        var changed: Bool
    }

    private let state = Mutex([Series: Entry]())

    public init() {}

    func update(_ readings: [Reading]) {
        guard !readings.isEmpty else { return }
        state.withLock { state in
            for reading in readings {
                let series = Series(sensor: reading.sensor, quantity: reading.quantity)
                if let current = state[series], current.reading.observedAt > reading.observedAt { continue }
                state[series] = Entry(reading: reading, changed: true)
            }
        }
    }

    /// The readings that changed since the last call.
    func takeChanged() -> [Reading] {
        state.withLock { state in
            var changed: [Reading] = []
            for (series, entry) in state where entry.changed {
                changed.append(entry.reading)
                state[series]?.changed = false
            }
            return changed
        }
    }
}
