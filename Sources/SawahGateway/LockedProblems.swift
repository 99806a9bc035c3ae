import Synchronization

/// A mutex-guarded map from sensor to its last logged problem ("" for none).
final class LockedProblems: Sendable {
    private let state = Mutex<[String: String]>([:])

    /// Stores `problem` for `sensor` and returns the previous one ("" at first).
    func swap(_ sensor: String, _ problem: String) -> String {
        state.withLock { map in
            let previous = map[sensor] ?? ""
            map[sensor] = problem
            return previous
        }
    }
}
