import Foundation
import Logging
import SawahCore
import SawahGPIO
import SawahJournal
import SawahStatus
import SawahSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One GPIO sensor on its own thread, asleep in `poll` until an edge, a report time or a stop:
/// pulses are counted with debounce and reported per interval with the running total
/// checkpointed in the same transaction; levels are reported on change and every interval.
/// A missing chip or line, or a busy line, is logged and retried every 10 s.
final class GPIOSensorWorker: @unchecked Sendable {
    // @unchecked Sendable: the mutable state below is touched only by the worker thread
    // (`run`), except `stopping` (an Atomic) and `wake` (itself Sendable).
    let sensor: GatewayConfiguration.Sensor
    let source: GPIOSourceConfiguration
    let quantity: DeviceProfile.Quantity
    /// Calibration and the range check, as for every source.
    let normaliser: Normaliser
    let sink: ReadingSink
    let backend: any GPIOBackend
    let logger: Logger
    private let stopping = Atomic(false)
    private let wake = WakeSignal()
    private var counter: PulseCounter
    private var lastLevel: Bool?
    private var lastError: String?

    init(
        sensor: GatewayConfiguration.Sensor, source: GPIOSourceConfiguration, profile: DeviceProfile, sink: ReadingSink,
        backend: any GPIOBackend, logger: Logger
    ) throws {
        self.sensor = sensor
        self.source = source
        self.quantity = profile.quantities[0]
        self.normaliser = Normaliser(sensor: sensor, profile: profile)
        self.sink = sink
        self.backend = backend
        self.logger = logger
        let total = try sink.store.counter(GPIOSourceConfiguration.counterName(sensor: sensor.id)) ?? 0
        counter = PulseCounter(total: total, debounceMilliseconds: source.debounceMilliseconds)
    }

    var sourceName: String { sensor.origin }

    /// Runs the sensor on a thread of its own until `requestStop`, then reports what it has.
    func run() async {
        await BlockingThread.run(name: "sawah-gpio-\(sensor.id)") { [self] in loop() }
    }

    /// Asks the thread to report what it has and stop; `run` returns once it has.
    func requestStop() {
        stopping.store(true, ordering: .releasing)
        wake.signal()
    }

    private func request() -> (any GPIOLine)? {
        var request = GPIOLineRequest(chip: source.chip, line: source.lineName.map { .name($0) } ?? .offset(source.lineOffset ?? 0))
        request.activeLow = source.activeLow
        request.bias = GPIOLineRequest.Bias(rawValue: source.bias) ?? .asIs
        request.edges = source.kind == .level ? .both : GPIOLineRequest.Edges(rawValue: source.edge) ?? .falling
        do {
            let line = try backend.request(request)
            if lastError != nil { logger.notice("GPIO sensor available again", metadata: ["sensor": "\(sensor.id)"]) }
            lastError = nil
            return line
        } catch {
            if error.description != lastError {
                logger.error("GPIO sensor unavailable; retrying every 10 s", metadata: ["sensor": "\(sensor.id)", "error": "\(error)"])
            }
            lastError = error.description
            return nil
        }
    }

    private func loop() {
        var line: (any GPIOLine)?
        var nextReport = MonotonicClock.seconds() + Double(source.reportSeconds)
        while !stopping.load(ordering: .acquiring) {
            if line == nil {
                line = request()
                if let requested = line, source.kind == .level, !reportLevel(of: requested) { line = nil }
            }
            guard let current = line else {
                sleep(until: MonotonicClock.seconds() + 10)
                continue
            }
            let timeout = max(0, nextReport - MonotonicClock.seconds())
            var fds = [
                pollfd(fd: current.eventDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0)
            ]
            let ready = poll(&fds, 2, Int32(min(timeout * 1000, 3_600_000)))
            if ready > 0, fds[0].revents & Int16(POLLIN) != 0 {
                do {
                    let events = try current.readEvents(max: 64)
                    if source.kind == .pulse {
                        for event in events { counter.record(event.nanoseconds) }
                    } else if !events.isEmpty, !reportLevel(of: current) {
                        line = nil
                    }
                } catch {
                    readFailed(error, line: current)
                    line = nil
                }
            }
            if MonotonicClock.seconds() >= nextReport {
                nextReport += Double(source.reportSeconds)
                if source.kind == .pulse {
                    reportPulses()
                } else if let current = line, !reportLevel(of: current, periodic: true) {
                    line = nil
                }
            }
        }
        if source.kind == .pulse { reportPulses() }
        line?.release()
    }

    /// Writes the interval's pulses and the total in one transaction; on failure they stay
    /// counted and go with the next report.
    private func reportPulses() {
        var batch = IngestBatch()
        let now = Clock.nowMilliseconds()
        let pulses = Double(counter.inInterval)
        let measured = source.measure == "rate" ? pulses / Double(source.reportSeconds) * source.perPulse : pulses * source.perPulse
        batch.add(
            [(quantity, .success(Normaliser.rounded(measured)))], normaliser: normaliser, at: now, source: sourceName, raw: "\(counter.inInterval) pulses")
        batch.checkpoints[GPIOSourceConfiguration.counterName(sensor: sensor.id)] = counter.total
        do {
            try sink.store(batch)
            _ = counter.closeInterval()
        } catch {
            logger.error("GPIO report not stored; the pulses go with the next one", metadata: ["sensor": "\(sensor.id)", "error": "\(error)"])
        }
    }

    /// Reads the line's level and stores it when it changed (or always, `periodic`). False when
    /// the read failed: the failure is logged and counted, and the caller drops the line, which
    /// is then requested again.
    private func reportLevel(of line: any GPIOLine, periodic: Bool = false) -> Bool {
        let level: Bool
        do {
            level = try line.value()
        } catch {
            readFailed(error, line: line)
            return false
        }
        guard periodic || level != lastLevel else { return true }
        let now = Clock.nowMilliseconds()
        var batch = IngestBatch()
        batch.add([(quantity, .success(level ? 1 : 0))], normaliser: normaliser, at: now, source: sourceName, raw: "level \(level ? 1 : 0)")
        do {
            try sink.store(batch)
            // Only a stored level counts as reported: a change that failed to store is tried again.
            lastLevel = level
        } catch {
            logger.error("GPIO level not stored; tried again at the next change or report", metadata: ["sensor": "\(sensor.id)", "error": "\(error)"])
        }
        return true
    }

    /// A read of the line failed: logged, counted in `gpio_read_errors:<sensor>` (shown by
    /// `sawah status`), and the line released so the loop requests it again.
    private func readFailed(_ error: GPIOError, line: any GPIOLine) {
        logger.error("GPIO read failed; requesting the line again", metadata: ["sensor": "\(sensor.id)", "error": "\(error)"])
        var batch = IngestBatch()
        batch.increments["gpio_read_errors:\(sensor.id)"] = 1
        do { try sink.store(batch) } catch {
            logger.error("GPIO read error not counted", metadata: ["sensor": "\(sensor.id)", "error": "\(error)"])
        }
        line.release()
    }

    /// Sleeps until `deadline` or a stop, whichever comes first.
    private func sleep(until deadline: Double) {
        var fds = [pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, Int32(max(0, deadline - MonotonicClock.seconds()) * 1000))
    }
}
