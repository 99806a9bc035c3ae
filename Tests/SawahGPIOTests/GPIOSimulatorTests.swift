import Foundation
import Testing
import TestSupport
@testable import SawahCore
#if canImport(Glibc)
import Glibc
#endif
@testable import SawahGPIO

/// The simulated chip's name, set only inside the guest.
let gpioSimulatorChip = ProcessInfo.processInfo.environment["SAWAH_GPIO_SIM_CHIP"]

/// Against a real kernel: the gpio-sim driver's chip inside a QEMU guest (`scripts/gpio-sim-test`
/// boots it, creates the chip and runs these with SAWAH_GPIO_SIM_CHIP and SAWAH_GPIO_SIM_DIR
/// set). The test drives each line's input through sysfs (`sim_gpioN/pull`) and reads it back
/// through libgpiod, as sawahd would read a rain gauge.
@Suite(.serialized, .enabled(if: gpioSimulatorChip != nil, "runs inside scripts/gpio-sim-test's QEMU guest"))
struct GPIOSimulatorTests {
    static let chip = gpioSimulatorChip
    static let directory = ProcessInfo.processInfo.environment["SAWAH_GPIO_SIM_DIR"] ?? ""
    let backend = LibgpiodV1Backend()

    /// Drives simulated line `line` high or low (its pull, as an external switch would).
    func drive(_ line: Int, high: Bool) throws {
        try (high ? "pull-up" : "pull-down").write(toFile: "\(Self.directory)/sim_gpio\(line)/pull", atomically: false, encoding: .utf8)
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

    /// Drives `count` pulses on `line`, `spacing` microseconds between edges.
    func pulse(_ line: Int, count: Int, spacing: UInt32) throws {
        for _ in 0..<count {
            try drive(line, high: true)
            if spacing > 0 { usleep(spacing) }
            try drive(line, high: false)
            if spacing > 0 { usleep(spacing) }
        }
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
        let cpu = Double(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec)
            + Double(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6
        print("gpio-sim: CPU while waiting 5 s for an edge: \(Int(cpu * 1000)) ms (\(Int(cpu * 12 * 1000)) ms per minute)")
        #expect(cpu < 0.5, "waiting is event-driven: a busy loop would use the whole 5 s")
    }

    /// sawahd itself: a rain gauge on a simulated line counted across a restart (SIGTERM
    /// reports and checkpoints), and a sensor on a missing chip logged while the rest runs.
    @Test func sawahdCountsPulsesAcrossARestartAndNamesAMissingChip() throws {
        let directory = try TemporaryDirectory(prefix: "sawah-gpio")
        defer { directory.remove() }
        try directory.write("""
            [gateway]
            id = "gpio-gw"
            data_dir = "data"
            devices_dir = "\(ProjectPaths.root)/devices"
            [mqtt]
            port = 1
            [dashboard]
            enabled = false
            [[sensors]]
            id = "rain"
            profile = "tipping-bucket-rain-gauge"
            [sensors.gpio]
            chip = "\(Self.chip!)"
            line = 5
            edge = "rising"
            debounce_ms = 5
            report_seconds = 1
            per_pulse = 0.2794
            [[sensors]]
            id = "lost"
            profile = "tipping-bucket-rain-gauge"
            [sensors.gpio]
            chip = "gpiochip-nowhere"
            line = 0
            """, to: "sawah.toml")
        try drive(5, high: false)
        let daemon = DaemonProcess(executable: try #require(ProjectPaths.executable("sawahd")),
                                   arguments: ["--config", directory.file("sawah.toml")], logPath: directory.file("sawahd.log"))
        for (round, pulses) in [30, 20].enumerated() {
            try daemon.start()
            let deadline = Date().addingTimeInterval(30)
            // Each start logs the line once more.
            while daemon.log.components(separatedBy: "GPIO sensors started").count < round + 2 && Date() < deadline { usleep(50_000) }
            usleep(500_000)
            if round == 0, let pid = daemon.pid {
                // sawahd's whole CPU use while nothing happens on the line (its MQTT reconnect
                // attempts, retention and watchdog included): the GPIO wait itself is poll().
                let before = Self.cpuTicks(pid)
                usleep(10_000_000)
                let ticks = Self.cpuTicks(pid) - before
                let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
                print("gpio-sim: sawahd CPU while waiting for edges: \(Int(Double(ticks) / ticksPerSecond * 1000)) ms in 10 s (\(Int(Double(ticks) / ticksPerSecond * 6000)) ms per minute, under emulation)")
            }
            try pulse(5, count: pulses, spacing: 20_000)
            usleep(3_000_000)
            #expect(daemon.stop() == 0, "\(daemon.log)")
        }
        let sql = { (query: String) throws -> String in
            try ChildProcess.run("/usr/bin/sqlite3", [directory.file("data/journal.sqlite"), query]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try sql("SELECT value FROM counters WHERE name = 'gpio_pulses:rain'") == "50", "\(daemon.log)")
        #expect(try sql("SELECT printf('%.4f', SUM(value)) FROM reading_rows WHERE sensor = 'rain'") == "13.9700")
        #expect(daemon.log.contains("GPIO sensor unavailable") && daemon.log.contains("gpiochip-nowhere") && daemon.log.contains("not found"), "\(daemon.log)")
        print("gpio-sim: sawahd counted \(try sql("SELECT value FROM counters WHERE name = 'gpio_pulses:rain'")) pulses over a restart; rainfall \(try sql("SELECT printf('%.4f', SUM(value)) FROM reading_rows WHERE sensor = 'rain'")) mm")
    }

    /// utime + stime of a process, in clock ticks, from /proc/PID/stat.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}
