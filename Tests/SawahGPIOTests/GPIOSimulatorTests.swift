import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahGPIO

#if canImport(Glibc)
import Glibc
#endif

/// Against a real kernel: the gpio-sim driver's chip inside a QEMU guest (`scripts/gpio-sim-test`
/// boots it, creates the chip and runs these with SAWAH_GPIO_SIM_CHIP and SAWAH_GPIO_SIM_DIR
/// set). The test drives each line's input through sysfs (`sim_gpioN/pull`) and reads it back
/// through libgpiod, as sawahd would read a rain gauge.
@Suite(.serialized, .enabled(if: GPIOSimulator.chip != nil, "runs inside scripts/gpio-sim-test's QEMU guest"))
struct GPIOSimulatorTests {
    static let chip = GPIOSimulator.chip
    let backend = LibgpiodV1Backend()

    func drive(_ line: Int, high: Bool) throws {
        try GPIOSimulator.drive(line, high: high)
    }

    func request(_ line: Int, edges: GPIOLineRequest.Edges, activeLow: Bool = false) throws -> any GPIOLine {
        var request = GPIOLineRequest(chip: Self.chip!, line: .offset(line))
        request.edges = edges
        request.activeLow = activeLow
        return try backend.request(request)
    }

    /// Reads a line's edge events on its own thread while the test drives the line, as
    /// sawahd's counter does: the v1 interface queues only 16 events per line, so a reader
    /// that waits until the end loses pulses.
    final class EdgeReader: @unchecked Sendable {
        // @unchecked Sendable: `line` is used only by the reader thread until `stop()` has
        // joined it; `events` and `running` are LockedValues.
        let line: any GPIOLine
        let events = LockedValue<[GPIOEdgeEvent]>([])
        let running = LockedValue(true)
        private var thread: Thread?
        private let done = DispatchSemaphore(value: 0)

        init(_ line: any GPIOLine) {
            self.line = line
            let thread = Thread { [self] in
                while self.running.withLock({ $0 }) {
                    var descriptor = pollfd(fd: self.line.eventDescriptor, events: Int16(POLLIN), revents: 0)
                    if poll(&descriptor, 1, 100) > 0, let batch = try? self.line.readEvents(max: 64) {
                        self.events.withLock { $0 += batch }
                    }
                }
                self.done.signal()
            }
            self.thread = thread
            thread.start()
        }

        /// Waits until `count` events came or `timeout` passed (TCG is slow), then stops.
        func stop(after count: Int, timeout: TimeInterval = 20) -> [GPIOEdgeEvent] {
            let deadline = Date().addingTimeInterval(timeout)
            while events.withLock({ $0.count }) < count && Date() < deadline { usleep(20_000) }
            usleep(200_000)
            running.withLock { $0 = false }
            done.wait()
            return events.withLock { $0 }
        }
    }

    func pulse(_ line: Int, count: Int, spacing: UInt32) throws {
        try GPIOSimulator.pulse(line, count: count, spacing: spacing)
    }

    @Test func pulsesAreCountedExactlyAndBurstsInsideTheDebounceWindowCountOnce() throws {
        try drive(0, high: false)
        let line = try request(0, edges: .rising)
        defer { line.release() }
        var reader = EdgeReader(line)
        try pulse(0, count: 50, spacing: 20_000)
        var counter = PulseCounter(debounceMilliseconds: 5)
        for event in reader.stop(after: 50) { counter.record(event.nanoseconds) }
        #expect(counter.total == 50, "50 clean pulses, \(counter.total) counted, \(counter.bounces) bounces")

        // Contact bounce: eight edges 3 ms apart, inside a 250 ms debounce window.
        reader = EdgeReader(line)
        try pulse(0, count: 8, spacing: 1_500)
        let burst = reader.stop(after: 8, timeout: 10)
        var debounced = PulseCounter(debounceMilliseconds: 250)
        for event in burst { debounced.record(event.nanoseconds) }
        let span = (burst.last?.nanoseconds ?? 0) - (burst.first?.nanoseconds ?? 0)
        print("gpio-sim: burst of \(burst.count) rising edges over \(span / 1_000_000) ms → \(debounced.total) pulse(s), \(debounced.bounces) bounces")
        #expect(burst.count >= 2, "the bounces reached the event queue")
        #expect(span < 250_000_000, "the burst was driven inside the window (\(span / 1_000_000) ms)")
        #expect(debounced.total == 1, "a burst inside the window is one pulse")
    }

    @Test func levelsAreFollowedWithActiveLowApplied() throws {
        let line = try request(1, edges: .none)
        try drive(1, high: true)
        #expect(try line.value() == true)
        try drive(1, high: false)
        #expect(try line.value() == false)
        line.release()
        let inverted = try request(1, edges: .none, activeLow: true)
        defer { inverted.release() }
        #expect(try inverted.value() == true, "a float switch to ground reads active when the line is low")
    }

    /// A restart (the line released and requested again, the total checkpointed in between)
    /// neither replays old edges nor loses new ones.
    @Test func aRestartNeitherLosesNorDoublesPulses() throws {
        try drive(2, high: false)
        var total: Int64 = 0
        for round in 0..<3 {
            let line = try request(2, edges: .rising)
            let reader = EdgeReader(line)
            try pulse(2, count: 5, spacing: 20_000)
            var counter = PulseCounter(total: total, debounceMilliseconds: 5)
            for event in reader.stop(after: 5) { counter.record(event.nanoseconds) }
            line.release()
            total = counter.total
            #expect(total == Int64(5 * (round + 1)), "after restart \(round): \(total)")
        }
    }

    @Test func aMissingChipAMissingLineAndABusyLineAreNamed() throws {
        #expect(throws: GPIOError.self) { _ = try backend.request(GPIOLineRequest(chip: "gpiochip-nowhere", line: .offset(0))) }
        do {
            _ = try backend.request(GPIOLineRequest(chip: Self.chip!, line: .offset(99)))
            Issue.record("line 99 of an 8-line chip")
        } catch {
            #expect(error.description.contains("has no line 99"), "\(error)")
        }
        let held = try request(3, edges: .none)
        defer { held.release() }
        do {
            _ = try request(3, edges: .rising)
            Issue.record("a line already requested must be refused")
        } catch let error as GPIOError {
            #expect(error == .busy(chip: Self.chip!, line: "line 3", consumer: "sawahd"), "\(error)")
            #expect(error.description.contains("is in use by \"sawahd\""))
        }
    }

    /// Figures for the closing note: the fastest pulse train counted without loss (edge
    /// spacing halved until pulses go missing), and the CPU time spent waiting for edges that
    /// do not come (event-driven: it should be ~0).
    @Test func pulseRateAndIdleCPU() throws {
        try drive(4, high: false)
        let line = try request(4, edges: .rising)
        defer { line.release() }
        var best = 0.0
        for spacing: UInt32 in [8_000, 4_000, 2_000, 1_000, 500, 250, 0] {
            let pulses = 100
            let reader = EdgeReader(line)
            let start = Date()
            try pulse(4, count: pulses, spacing: spacing)
            let rate = Double(pulses) / Date().timeIntervalSince(start)
            let counted = reader.stop(after: pulses, timeout: 10).count
            print("gpio-sim: \(pulses) pulses at \(Int(rate)) Hz (edges \(spacing) µs apart): \(counted) counted")
            if counted == pulses { best = max(best, rate) } else { break }
        }
        print("gpio-sim: highest pulse rate counted without loss: \(Int(best)) Hz")
        #expect(best >= 20, "a rain gauge (a few Hz) and an anemometer in a gale (~30 Hz) are well inside")
        var before = rusage()
        getrusage(RUSAGE_SELF.rawValue, &before)
        var descriptor = pollfd(fd: line.eventDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, 5_000)
        var after = rusage()
        getrusage(RUSAGE_SELF.rawValue, &after)
        let cpu =
            Double(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec)
            + Double(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6
        print("gpio-sim: CPU while waiting 5 s for an edge: \(Int(cpu * 1000)) ms (\(Int(cpu * 12 * 1000)) ms per minute)")
        #expect(cpu < 0.5, "waiting is event-driven: a busy loop would use the whole 5 s")
    }

}
