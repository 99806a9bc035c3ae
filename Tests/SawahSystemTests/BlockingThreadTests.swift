import Foundation
import Synchronization
import Testing

@testable import SawahSystem

/// The low-level helpers every blocking loop relies on: a stop must reach a thread asleep in
/// `poll` at once, and awaiting that thread must not hold the caller's task up for longer.
@Suite struct BlockingThreadTests {
    @Test func aWakeSignalEndsAWaitLongBeforeItsTimeout() async throws {
        let wake = WakeSignal()
        #expect(wake.fd >= 0)
        let started = MonotonicClock.milliseconds()
        let waited = Task {
            await BlockingThread.run(name: "test-waiter") { wake.wait(seconds: 120) }
            return MonotonicClock.milliseconds() - started
        }
        try await Task.sleep(for: .milliseconds(100))
        wake.signal()
        let elapsed = await waited.value
        #expect(elapsed >= 100, "the wait did not end before the signal: \(elapsed) ms")
        // Far below the wait's 120 s, with room for a cooperative pool busy with the
        // suite's blocking tests on two cores (7.4 s was seen there).
        #expect(elapsed < 60_000, "the signal did not end the 120 s wait: \(elapsed) ms")
    }

    @Test func anUnsignalledWaitLastsItsTimeout() {
        let wake = WakeSignal()
        let started = MonotonicClock.milliseconds()
        wake.wait(seconds: 0.2)
        #expect(MonotonicClock.milliseconds() - started >= 190)
    }

    @Test func theLoopRunsOnANamedThreadOfItsOwn() async {
        let seen = LockedValue<(name: String, isMain: Bool)>(("", true))
        await BlockingThread.run(name: "sawah-mqtt-ingest") {
            seen.withLock { $0 = (BlockingThread.currentName(), Thread.isMainThread) }
        }
        #expect(seen.value.name == "sawah-mqtt-inge", "the kernel's 15 bytes of the name")
        #expect(BlockingThread.currentName() != seen.value.name, "the caller's thread keeps its own name")
        #expect(!seen.value.isMain)
    }

    @Test func theMonotonicClockAgreesInItsUnitsAndNeverGoesBack() {
        var last = MonotonicClock.nanoseconds()
        for _ in 0..<1_000 {
            let now = MonotonicClock.nanoseconds()
            #expect(now >= last)
            last = now
        }
        let milliseconds = MonotonicClock.milliseconds()
        #expect(abs(milliseconds - MonotonicClock.nanoseconds() / 1_000_000) <= 1)
        #expect(abs(MonotonicClock.seconds() * 1000 - Double(milliseconds)) < 1_000)
    }
}
