import Testing

@testable import SawahCore

/// The debounce arithmetic GPIO pulse sensors rely on, on the host (the same counter runs
/// against a real kernel's gpio-sim in the QEMU guest).
@Suite struct PulseCounterTests {
    @Test func pulsesAreCountedOncePerDebounceWindow() {
        var counter = PulseCounter(total: 1_000, debounceMilliseconds: 20)
        let ms: Int64 = 1_000_000
        // A tip with three bounces within 5 ms, then a clean tip 300 ms later.
        for time in [0, 1 * ms, 3 * ms, 5 * ms, 300 * ms] { counter.record(time) }
        #expect(counter.total == 1_002 && counter.inInterval == 2 && counter.bounces == 3)
        #expect(counter.closeInterval() == 2 && counter.inInterval == 0)
        // A burst faster than the window counts as one pulse.
        for index in 0..<50 { counter.record(1_000 * ms + Int64(index) * 100_000) }
        #expect(counter.closeInterval() == 1 && counter.total == 1_003)
        // Exactly one window apart counts twice.
        counter.record(2_000 * ms)
        counter.record(2_020 * ms)
        #expect(counter.total == 1_005)
    }

    /// Bounce is measured from the last *counted* edge: steady chatter every 15 ms against a
    /// 20 ms window counts every other edge, not none.
    @Test func chatterIsMeasuredFromTheLastCountedEdge() {
        var counter = PulseCounter(debounceMilliseconds: 20)
        for index in 0..<10 { counter.record(Int64(index) * 15_000_000) }
        #expect(counter.total == 5 && counter.bounces == 5)
    }

    @Test func noDebounceCountsEveryEdgeEvenAtTheSameInstant() {
        var counter = PulseCounter(debounceMilliseconds: 0)
        for time: Int64 in [0, 0, 1, 2] { counter.record(time) }
        #expect(counter.total == 4 && counter.bounces == 0)
    }

    /// An edge stamped before the last counted one (never from the kernel's monotonic clock,
    /// but from a confused source) is not a new pulse.
    @Test func anEdgeFromThePastIsNotCounted() {
        var counter = PulseCounter(debounceMilliseconds: 10)
        let first = counter.record(500_000_000)
        let earlier = counter.record(100_000_000)
        #expect(first && !earlier)
        #expect(counter.total == 1 && counter.bounces == 1)
    }

    /// A restart restores the checkpointed total; the interval starts empty and the first edge
    /// after it counts (nothing carries over the debounce state).
    @Test func aRestoredTotalContinuesAndTheFirstEdgeCounts() {
        var counter = PulseCounter(total: 41, debounceMilliseconds: 1_000)
        #expect(counter.inInterval == 0)
        let counted = counter.record(0)
        let interval = counter.closeInterval()
        let next = counter.closeInterval()
        #expect(counted && counter.total == 42 && interval == 1 && next == 0)
    }
}
