import Logging
import SawahCore
import SawahGPIO
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// The sensors wired to the gateway's own GPIO lines, one worker thread each (see
/// `GPIOSensorWorker`). On shutdown each reports what it has counted and checkpoints its total.
public struct GPIOService: ReadingSource {
    public let name = "gpio"
    let config: GatewayConfiguration
    let library: DeviceLibrary
    let backend: any GPIOBackend
    let logger: Logger

    public init(
        config: GatewayConfiguration, library: DeviceLibrary,
        backend: any GPIOBackend = LibgpiodV1Backend(), logger: Logger
    ) {
        self.config = config
        self.library = library
        self.backend = backend
        self.logger = logger
    }

    public func run(storingInto sink: ReadingSink) async throws {
        let workers = try config.sensors.compactMap { sensor -> GPIOSensorWorker? in
            guard let source = sensor.gpio, let profile = library.profiles[sensor.profile], !profile.quantities.isEmpty else { return nil }
            return try GPIOSensorWorker(sensor: sensor, source: source, profile: profile, sink: sink, backend: backend, logger: logger)
        }
        logger.info("GPIO sensors started", metadata: ["count": "\(workers.count)"])
        guard !workers.isEmpty else {
            // A service that returns early ends the whole group: wait for the shutdown instead.
            try? await gracefulShutdown()
            return
        }
        // Cancellation too: if another service fails, each worker must still report what it
        // has counted and checkpoint its total before the group ends.
        await withTaskCancellationOrGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { await worker.run() } }
            }
        } onCancelOrGracefulShutdown: {
            for worker in workers { worker.requestStop() }
        }
        logger.info("GPIO sensors stopped")
    }
}
