import Foundation
import Logging
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// Polls the sysfs sensors (`[sensors.sysfs]`): 1-Wire DS18B20s and IIO devices. A reading
/// that cannot be trusted — a CRC error, the 85 °C power-on value, a vanished device, a value
/// outside the profile's range — is quarantined with what the kernel gave and the reason (as a
/// bad MQTT payload is), counted in `sysfs_read_errors:<sensor>`, logged once until it
/// changes, and the sensor is read again at its next interval.
public struct SysfsPollingService: ReadingSource {
    public let name = "sysfs"
    let sensors: [(sensor: GatewayConfiguration.Sensor, source: SysfsSourceConfiguration, profile: DeviceProfile)]
    let logger: Logger
    private let lastProblem = LockedProblems()

    public init(config: GatewayConfiguration, library: DeviceLibrary, logger: Logger) {
        self.sensors = config.sensors.compactMap { sensor in
            guard let source = sensor.sysfs, let profile = library.profiles[sensor.profile] else { return nil }
            return (sensor, source, profile)
        }
        self.logger = logger
    }

    public func run(storingInto sink: ReadingSink) async throws {
        var due = Array(repeating: ContinuousClock.now, count: sensors.count)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = ContinuousClock.now
            for index in sensors.indices where due[index] <= now {
                await poll(index, into: sink)
                due[index] = now + .seconds(sensors[index].source.intervalSeconds)
            }
            let next = due.min() ?? now + .seconds(60)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: next) }
        }
    }

    /// Reads one sensor and stores what it gives; returns the problems (for tests).
    @discardableResult
    public func poll(_ index: Int, into sink: ReadingSink) async -> [String] {
        let (sensor, source, profile) = sensors[index]
        var values: [(quantity: DeviceProfile.Quantity, value: Result<Double, SensorReadProblem>)] = []
        var raw = ""
        switch source.kind {
        case .w1:
            if let quantity = profile.quantities.first {
                let text = (try? String(contentsOfFile: source.path, encoding: .utf8))
                raw = text ?? ""
                values.append(
                    (quantity, text.map(OneWireThermometer.parse) ?? .failure(.init("\(source.path) is missing or unreadable (sensor vanished from the bus?)")))
                )
            }
        case .iio:
            for quantity in profile.quantities {
                guard let channel = source.channels[quantity.name] else { continue }
                values.append((quantity, IIOChannel(device: source.path, channel: channel.channel).read().map { Normaliser.rounded($0 * channel.scale) }))
            }
        }
        var batch = IngestBatch()
        let problems = batch.add(values, normaliser: Normaliser(sensor: sensor, profile: profile), at: Clock.nowMilliseconds(), source: sensor.origin, raw: raw)
        if !problems.isEmpty {
            batch.increments[SysfsSourceConfiguration.errorCounter(sensor: sensor.id)] = 1
        }
        do { try await sink.store(batch) } catch {
            logger.error("sysfs reading not stored", metadata: ["sensor": "\(sensor.id)", "error": "\(error)"])
        }
        let summary = problems.joined(separator: "; ")
        if lastProblem.swap(sensor.id, summary) != summary {
            if problems.isEmpty {
                logger.notice("sysfs sensor reads again", metadata: ["sensor": "\(sensor.id)"])
            } else {
                logger.error("sysfs sensor gave no trustworthy reading; retried every interval", metadata: ["sensor": "\(sensor.id)", "problem": "\(summary)"])
            }
        }
        return problems
    }
}
