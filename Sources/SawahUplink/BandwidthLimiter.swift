import Foundation
import Synchronization

/// Caps upload bandwidth for metered cellular links, as a token bucket holding one second's
/// worth: each request reserves its bytes and waits until the bucket has them.
final class BandwidthLimiter: Sendable {
    private let bytesPerSecond: Double
    /// When everything reserved so far will have been paid for at the capped rate (seconds on
    /// the monotonic clock); a request may go once this is at most one second ahead.
    private let caughtUp: Mutex<Double>

    init(bytesPerSecond: Int) {
        self.bytesPerSecond = Double(bytesPerSecond)
        self.caughtUp = Mutex(0)
    }

    /// Reserves `bytes` and sleeps until they may be sent.
    func reserve(bytes: Int) async throws {
        let now = ProcessInfo.processInfo.systemUptime
        let wait: Double = caughtUp.withLock { until in
            until = max(until, now) + Double(bytes) / bytesPerSecond
            return max(0, until - now - 1)
        }
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
    }
}
