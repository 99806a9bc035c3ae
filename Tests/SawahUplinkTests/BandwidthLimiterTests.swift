import Foundation
import Testing

@testable import SawahUplink

@Suite struct BandwidthLimiterTests {
    /// An idle link sends one second's worth at once; past that, bytes wait their turn.
    @Test func bytesBeyondTheBurstWaitForTheirShareOfTheLink() async throws {
        let limiter = BandwidthLimiter(bytesPerSecond: 100_000)
        let clock = ContinuousClock()
        var start = clock.now
        try await limiter.reserve(bytes: 100_000)
        #expect(clock.now - start < .milliseconds(200), "a second's worth is a burst")
        start = clock.now
        try await limiter.reserve(bytes: 50_000)
        try await limiter.reserve(bytes: 50_000)
        let waited = clock.now - start
        #expect(waited >= .milliseconds(900), "100 kB more at 100 kB/s takes about a second, took \(waited)")
    }
}
