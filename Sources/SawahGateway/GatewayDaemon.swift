import Foundation
import Logging
import SawahCore
import SawahJournal
import SawahMQTT
import SawahStatus
import SawahSystem
import SawahTraceability
import ServiceLifecycle

/// Everything `sawahd` runs, assembled from a checked configuration.
public struct GatewayDaemon {
    public let config: GatewayConfiguration
    public let library: DeviceLibrary

    /// Loads and checks the config and every device profile it uses. All problems are
    /// reported together; the caller exits 78 (EX_CONFIG) on any of them.
    public static func check(configPath: String) throws(ConfigErrors) -> GatewayDaemon {
        let config = try GatewayConfiguration.load(path: configPath)
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        try library.validate(config)
        var problems: [ConfigError] = []
        if let file = config.mqtt.passwordFile, !FileManager.default.isReadableFile(atPath: file) {
            problems.append(ConfigError(file: config.file, key: "[mqtt] password_file", problem: "cannot read \(file)"))
        }
        for (key, file) in [("password_file", config.mqtt.passwordFile), ("tls_key_file", config.mqtt.tlsKeyFile)] {
            if let file, let exposure = SecretFile.exposure(file) {
                problems.append(ConfigError(file: config.file, key: "[mqtt] \(key)", problem: exposure))
            }
        }
        for (key, file) in [("tls_ca_file", config.mqtt.tlsCAFile), ("tls_cert_file", config.mqtt.tlsCertFile), ("tls_key_file", config.mqtt.tlsKeyFile)] {
            if let file, !FileManager.default.isReadableFile(atPath: file) {
                problems.append(ConfigError(file: config.file, key: "[mqtt] \(key)", problem: "cannot read \(file)"))
            }
        }
        if let traceability = config.traceability, !FileManager.default.fileExists(atPath: traceability.identityKeyFile) {
            problems.append(
                ConfigError(
                    file: config.file, key: "[traceability] identity_key",
                    problem: "no key at \(traceability.identityKeyFile): run `sawah identity create --config \(config.file)`"))
        }
        if !problems.isEmpty { throw ConfigErrors(problems) }
        return GatewayDaemon(config: config, library: library)
    }

    /// MQTT options for the ingest session: fixed client id, persistent session.
    func ingestOptions() throws -> MQTTOptions {
        let mqtt = config.mqtt
        var password: String?
        if let file = mqtt.passwordFile {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        return MQTTOptions(
            host: mqtt.host, port: mqtt.port, clientID: mqtt.clientID, cleanSession: false,
            keepAliveSeconds: Int32(mqtt.keepAliveSeconds), username: mqtt.username, password: password,
            tls: mqtt.tlsCAFile.map { MQTTOptions.TLS(caFile: $0, certFile: mqtt.tlsCertFile, keyFile: mqtt.tlsKeyFile) })
    }

    /// Opens the journal, builds the services and runs them until SIGTERM or SIGINT.
    public func run(logger: Logger) async throws {
        let signals = ShutdownSignals()
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let journal = try Journal(path: config.journalPath, durability: config.durability)
        logger.info("journal open", metadata: ["path": "\(journal.path)", "durability": "\(config.durability.rawValue)"])
        let router = SensorRouter(config: config, library: library)
        let trusted = config.clock == .trusted
        let sink = ReadingSink(store: journal.ingest, logger: logger, clockSynchronised: { trusted || ClockSync.kernelSynchronised() })
        let clock = ClockSync.read()
        if !trusted && !clock.synchronized {
            logger.warning(
                "the system clock is not synchronised: readings are flagged unsynchronised-gateway-clock until an NTP client sets it ([gateway] clock = \"trusted\" for a clock kept right otherwise)",
                metadata: ["max_error_ms": "\(clock.maxErrorMicroseconds.map { $0 / 1000 } ?? -1)"])
        }
        let heartbeat = PipelineHeartbeat()
        let readiness = Readiness()
        let ingest = try MQTTIngestService(
            options: try ingestOptions(), router: router,
            policy: GroupCommitPolicy(
                maxBatch: config.mqtt.maxBatch, maxDelayMilliseconds: Int32(config.mqtt.commitDelayMilliseconds),
                idleMilliseconds: Int32(config.mqtt.commitQuietMilliseconds)),
            ingest: journal.ingest, heartbeat: heartbeat, readiness: readiness, logger: logger)
        let retention = RetentionService(
            journal: journal.retention, settings: config.retention, dataDirectory: config.dataDirectory,
            lots: config.traceability?.lots.map { ($0.id, $0.sensors) } ?? [],
            platforms: config.platforms.map(\.id), logger: logger)
        let notifier = SystemdNotifier()
        var sources: [any ReadingSource] = [ingest]
        if config.sensors.contains(where: { $0.gpio != nil }) {
            sources.append(GPIOService(config: config, library: library, logger: logger))
        }
        if config.sensors.contains(where: { $0.sysfs != nil }) {
            sources.append(SysfsPollingService(config: config, library: library, logger: logger))
        }
        // Every source stores through the one sink (and so reaches the dashboard feed).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = sources.map { .init(service: ReadingSourceService(source: $0, sink: sink)) }
        services.append(.init(service: retention))
        if config.dashboard.enabled {
            services.append(
                .init(
                    service: try DashboardService(
                        config: config, library: library, options: try ingestOptions(),
                        sink: sink, logger: logger)))
        }
        if let traceability = config.traceability {
            let identity = try GatewayIdentity.load(from: traceability.identityKeyFile, didWeb: traceability.didWeb)
            logger.info("certificates on", metadata: ["issuer": "\(identity.did)", "lots": "\(traceability.lots.count)"])
            let sealer = BatchSealer(journal: journal.sealing, config: config, library: library, identity: identity)
            services.append(.init(service: SealingService(sealer: sealer, checkSeconds: min(10, traceability.sealIntervalSeconds), logger: logger)))
        }
        // Last in the list, so first to hear of a shutdown: STOPPING=1 goes out at once.
        services.append(.init(service: WatchdogService(notifier: notifier, heartbeat: heartbeat, readiness: readiness, logger: logger)))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                logger: logger))
        signals.attach(group)
        logger.info("sawahd started", metadata: ["gateway": "\(config.gatewayID)", "sensors": "\(config.sensors.count)"])
        try await group.run()
        logger.info("sawahd stopped")
    }
}
