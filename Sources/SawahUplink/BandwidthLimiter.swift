import Foundation
import Synchronization

/// Caps upload bandwidth for metered cellular links: each request reserves its bytes and
/// waits until the budget allows them. Bursts up to one second's worth go straight out.
final class BandwidthLimiter: Sendable {
    private let bytesPerSecond: Double
    /// When the link is next free (seconds on the monotonic clock).
    private let nextFree: Mutex<Double>

    init(bytesPerSecond: Int) {
        self.bytesPerSecond = Double(bytesPerSecond)
        self.nextFree = Mutex(0)
    }

    /// Reserves `bytes` and sleeps until they may be sent.
    func reserve(bytes: Int) async throws {
        let now = ProcessInfo.processInfo.systemUptime
        let wait: Double = nextFree.withLock { next in
            // An idle link may burst one second's worth at once.
            let start = max(next, now - 1)
            next = start + Double(bytes) / bytesPerSecond
            return max(0, start - now)
        }
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
    }
}
