import Foundation
import SawahGPIO
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A GPIO backend for host tests: lines whose level, edge events and failures the test sets.
/// Its event descriptor is a real pipe, so code that sleeps in poll(2) wakes as it would for
/// the kernel's.
public final class FakeGPIOBackend: GPIOBackend, Sendable {
    /// Requests refused with this error while it is set.
    public let refusal = Mutex<GPIOError?>(nil)
    private let lines = Mutex<[FakeGPIOLine]>([])

    public init() {}

    public func request(_ request: GPIOLineRequest) throws(GPIOError) -> any GPIOLine {
        if let error = refusal.withLock({ $0 }) { throw error }
        let line = FakeGPIOLine(request: request)
        lines.withLock { $0.append(line) }
        return line
    }

    /// Every line requested so far, oldest first (a line released and requested again appears twice).
    public var requested: [FakeGPIOLine] { lines.withLock { $0 } }

    /// The newest line, once one has been requested within `timeout`.
    /// The same for an async test: it sleeps as a task, so it never holds one of the few
    /// cooperative threads the worker under test needs to start (on two cores, a test that
    /// blocked one while other suites held the rest timed out).
    public func waitForLine(count: Int = 1, timeout: TimeInterval = 20) async -> FakeGPIOLine? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let all = requested
            if all.count >= count { return all.last }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    public func waitForLine(count: Int = 1, timeout: TimeInterval = 5) -> FakeGPIOLine? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let all = requested
            if all.count >= count { return all.last }
            usleep(10_000)
        }
        return nil
    }
}

/// One fake line. Thread-safe: the worker under test reads it on its own thread.
public final class FakeGPIOLine: GPIOLine, @unchecked Sendable {
    // @unchecked Sendable: the mutable state is in the Mutex; the pipe's descriptors are fixed
    // at init and read(2)/write(2) on them are thread-safe.
    public let request: GPIOLineRequest
    private struct State {
        var level = false
        var levelError: GPIOError?
        var events: [GPIOEdgeEvent] = []
        var released = false
    }
    private let state = Mutex(State())
    private let pipe: (read: Int32, write: Int32)

    init(request: GPIOLineRequest) {
        self.request = request
        var fds: [Int32] = [0, 0]
        _ = Glibc.pipe(&fds)
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        pipe = (fds[0], fds[1])
    }

    deinit {
        close(pipe.read)
        close(pipe.write)
    }

    /// Sets the level; with `edge`, also queues the edge event a real line would report.
    public func set(level: Bool, edge: Bool = true) {
        state.withLock { $0.level = level }
        if edge { push([GPIOEdgeEvent(kind: level ? .rising : .falling, nanoseconds: Self.now())]) }
    }

    /// Queues edge events and wakes the reader.
    public func push(_ events: [GPIOEdgeEvent]) {
        state.withLock { $0.events += events }
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }

    /// Makes `value()` fail with this error (nil: succeed again).
    public func failReads(with error: GPIOError?) { state.withLock { $0.levelError = error } }

    public var isReleased: Bool { state.withLock { $0.released } }

    public func value() throws(GPIOError) -> Bool {
        let (level, error) = state.withLock { ($0.level, $0.levelError) }
        if let error { throw error }
        return level
    }

    public var eventDescriptor: Int32 { pipe.read }

    public func readEvents(max: Int) throws(GPIOError) -> [GPIOEdgeEvent] {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(pipe.read, &scratch, scratch.count) > 0 {}
        return state.withLock { state in
            let taken = Array(state.events.prefix(max))
            state.events.removeFirst(taken.count)
            if !state.events.isEmpty {
                var byte: UInt8 = 1
                _ = write(pipe.write, &byte, 1)
            }
            return taken
        }
    }

    public func release() { state.withLock { $0.released = true } }

    /// CLOCK_MONOTONIC in nanoseconds, as the kernel stamps events.
    public static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
