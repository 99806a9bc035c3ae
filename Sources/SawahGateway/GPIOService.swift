import Logging
import SawahCore
import SawahGPIO
import SawahJournal
import ServiceLifecycle

/// The sensors wired to the gateway's own GPIO lines, one worker thread each (see
/// `GPIOSensorWorker`). On shutdown each reports what it has counted and checkpoints its total.
public struct GPIOService: Service {
    let journal: Journal
    let config: GatewayConfiguration
    let library: DeviceLibrary
    let backend: any GPIOBackend
    let logger: Logger

    public init(journal: Journal, config: GatewayConfiguration, library: DeviceLibrary,
                backend: any GPIOBackend = LibgpiodV1Backend(), logger: Logger) {
        self.journal = journal
        self.config = config
        self.library = library
        self.backend = backend
        self.logger = logger
    }

    public func run() async throws {
        var workers: [GPIOSensorWorker] = []
        for sensor in config.sensors {
            guard let source = sensor.gpio, let profile = library.profiles[sensor.profile], !profile.quantities.isEmpty else { continue }
            workers.append(try GPIOSensorWorker(sensor: sensor, source: source, profile: profile, journal: journal, backend: backend, logger: logger))
        }
        for worker in workers { worker.start() }
        logger.info("GPIO sensors started", metadata: ["count": "\(workers.count)"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
        for worker in workers { worker.stop() }
        logger.info("GPIO sensors stopped")
    }
}
