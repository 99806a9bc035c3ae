import Foundation
import Logging
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahGPIO
@testable import SawahGateway
@testable import SawahJournal

/// The GPIO worker against a fake backend, on the host: what it stores for pulses and levels,
/// and what happens when a line fails. (The same worker meets the kernel's gpio-sim in
/// scripts/gpio-sim-test and the arm64 guest.)
@Suite(.serialized) struct GPIOSensorWorkerTests {
    struct Rig {
        let directory: TemporaryDirectory
        let journal: Journal
        let sink: ReadingSink
        let worker: GPIOSensorWorker
        let backend: FakeGPIOBackend

        init(profile: String, gpio: String, calibration: String = "", clockSynchronised: Bool = true) throws {
            directory = try TemporaryDirectory()
            let toml = """
                [gateway]
                id = "gw"
                data_dir = "\(directory.path)"
                devices_dir = "\(ProjectPaths.root)/devices"
                [[sensors]]
                id = "s"
                profile = "\(profile)"
                [sensors.gpio]
                chip = "gpiochip0"
                line = 3
                \(gpio)
                \(calibration)
                """
            let config = try GatewayConfiguration.parse(text: toml, file: directory.file("sawah.toml"))
            let library = try DeviceLibrary.load(directory: config.devicesDirectory)
            journal = try Journal(path: config.journalPath, durability: .process)
            backend = FakeGPIOBackend()
            let sensor = config.sensors[0]
            sink = ReadingSink(store: journal.ingest, logger: Logger(label: "test"), clockSynchronised: { clockSynchronised })
            worker = try GPIOSensorWorker(
                sensor: sensor, source: try #require(sensor.gpio), profile: try #require(library.profiles[profile]),
                sink: sink, backend: backend, logger: Logger(label: "test"))
        }

        func values() throws -> [Double] {
            try JournalReader(path: journal.path).readings(afterSeq: 0, limit: 1_000).map(\.reading.value)
        }

        func counter(_ name: String) throws -> Int64? { try journal.counter(name) }

        /// Runs the worker as GPIOService does; `stop` asks it to report and waits for its end.
        func start() -> Task<Void, Never> {
            let worker = self.worker
            return Task { await worker.run() }
        }

        func stop(_ running: Task<Void, Never>) async {
            worker.requestStop()
            await running.value
        }

        /// Polls as a task (see `FakeGPIOBackend.waitForLine`), for up to 20 s.
        func waitUntil(_ condition: () throws -> Bool) async rethrows -> Bool {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if try condition() { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
    }

    @Test func pulsesAreDebouncedCountedAndCheckpointedOnStop() async throws {
        let rig = try Rig(profile: "tipping-bucket-rain-gauge", gpio: "edge = \"falling\"\ndebounce_ms = 10\nreport_seconds = 3600\nper_pulse = 0.2")
        defer { rig.directory.remove() }
        let running = rig.start()
        let line = try #require(await rig.backend.waitForLine())
        let start = FakeGPIOLine.now()
        // Seven tips 50 ms apart, each followed by a bounce 2 ms later.
        var events: [GPIOEdgeEvent] = []
        for tip in 0..<7 {
            let at = start + Int64(tip) * 50_000_000
            events += [GPIOEdgeEvent(kind: .falling, nanoseconds: at), GPIOEdgeEvent(kind: .falling, nanoseconds: at + 2_000_000)]
        }
        line.push(events)
        try await Task.sleep(for: .milliseconds(300))
        await rig.stop(running)
        #expect(try rig.counter(GPIOSourceConfiguration.counterName(sensor: "s")) == 7)
        #expect(try rig.values().map { ($0 * 10).rounded() / 10 } == [1.4])
        #expect(line.isReleased)
    }

    /// `[sensors.calibration]` applies to a GPIO sensor as to an MQTT one (it used to be
    /// accepted and ignored): a rain gauge found to under-read by 10 %.
    @Test func calibrationAppliesToPulseReadings() async throws {
        let rig = try Rig(
            profile: "tipping-bucket-rain-gauge", gpio: "report_seconds = 3600\nper_pulse = 0.2",
            calibration: "[sensors.calibration]\nrainfall = { scale = 1.1 }")
        defer { rig.directory.remove() }
        let running = rig.start()
        let line = try #require(await rig.backend.waitForLine())
        let start = FakeGPIOLine.now()
        line.push((0..<5).map { GPIOEdgeEvent(kind: .falling, nanoseconds: start + Int64($0) * 100_000_000) })
        try await Task.sleep(for: .milliseconds(300))
        await rig.stop(running)
        let stored = try JournalReader(path: rig.journal.path).readings(afterSeq: 0, limit: 10).map(\.reading)
        #expect(stored.map(\.value) == [1.1])
        #expect(stored.first?.quality.contains(.calibrated) == true)
        // And the dashboard feed hears of it, as it hears of MQTT readings (it used not to).
        #expect(rig.sink.latest.takeChanged().map(\.value) == [1.1])
    }

    /// A GPIO reading has no device time: stored while the clock is unsynchronised, it says
    /// so, as an MQTT one does.
    @Test func readingsStoredWithAnUnsynchronisedClockAreFlagged() async throws {
        let rig = try Rig(profile: "float-switch", gpio: "kind = \"level\"\nreport_seconds = 3600", clockSynchronised: false)
        defer { rig.directory.remove() }
        let running = rig.start()
        _ = try #require(await rig.backend.waitForLine())
        #expect(await rig.waitUntil { (try? rig.values()) == [0] })
        await rig.stop(running)
        let stored = try JournalReader(path: rig.journal.path).readings(afterSeq: 0, limit: 10).map(\.reading)
        #expect(stored.first?.quality == [.unsynchronisedGatewayClock])
    }

    @Test func aLevelIsStoredOnChangeAndAFailedReadIsCountedAndTheLineRequestedAgain() async throws {
        let rig = try Rig(profile: "float-switch", gpio: "kind = \"level\"\nreport_seconds = 3600")
        defer { rig.directory.remove() }
        let running = rig.start()
        let line = try #require(await rig.backend.waitForLine())
        #expect(await rig.waitUntil { (try? rig.values()) == [0] }, "the level at start")
        line.set(level: true)
        #expect(await rig.waitUntil { (try? rig.values()) == [0, 1] }, "the change")
        // A read that fails is neither dropped silently nor stored as a level.
        line.failReads(with: .readFailed(chip: "gpiochip0", line: "line 3", reason: "Input/output error"))
        line.set(level: false)
        #expect(await rig.waitUntil { (try? rig.counter("gpio_read_errors:s")) == 1 }, "the failure is counted")
        #expect(await rig.waitUntil { line.isReleased }, "the failed line is let go")
        let again = try #require(await rig.backend.waitForLine(count: 2), "and requested again")
        again.set(level: false, edge: false)
        #expect(await rig.waitUntil { (try? rig.values()) == [0, 1, 0] }, "the new line's level is stored")
        await rig.stop(running)
    }
}
