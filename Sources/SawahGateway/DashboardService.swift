import Foundation
import Logging
import SawahCore
import SawahJournal
import SawahMQTT
import SawahStatus
import SawahSystem
import SawahTraceability
import ServiceLifecycle
import Synchronization

/// Feeds dashboards over MQTT: retained `status` (`online`, and `offline` as the last will),
/// retained latest value per sensor quantity, `health` every `health_interval_seconds`, and
/// Home Assistant discovery, republished after every reconnect.
public struct DashboardService: Service {
    let client: MQTTClient
    let topics: DashboardTopics
    let discovery: [(topic: String, payload: String)]
    let sink: ReadingSink
    let reader: JournalReader.Factory
    let config: GatewayConfiguration
    let logger: Logger
    private let connected: Flag

    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    public init(config: GatewayConfiguration, library: DeviceLibrary, options: MQTTOptions, sink: ReadingSink, logger: Logger) throws {
        let topics = DashboardTopics(config: config)
        var options = options
        options.clientID = options.clientID + "-dashboard"
        options.cleanSession = true
        options.will = .init(topic: topics.status, payload: Array("offline".utf8), qos: 1, retain: true)
        if let host = config.dashboard.host { options.host = host }
        if let port = config.dashboard.port { options.port = port }
        let connected = Flag()
        self.connected = connected
        self.client = try MQTTClient(
            options: options,
            handlers: MQTTHandlers(onEvent: { event in
                if case .connected = event { connected.value.store(true, ordering: .releasing) }
            }))
        self.topics = topics
        self.discovery = config.dashboard.discovery ? topics.discovery(config: config, library: library) : []
        self.sink = sink
        self.reader = JournalReader.Factory(path: config.journalPath)
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        do {
            try client.startBackgroundLoop()
        } catch {
            // The dashboard is a convenience: without it the gateway still ingests and seals.
            logger.error("dashboard feed not started", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        var previous: HealthReport?
        var nextHealth = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if connected.value.exchange(false, ordering: .acquiringAndReleasing) {
                publish(topics.status, "online", retain: true)
                for message in discovery { publish(message.topic, message.payload, retain: true) }
                logger.info("dashboard feed online", metadata: ["topic": "\(topics.status)", "discovery_messages": "\(discovery.count)"])
            }
            for reading in sink.latest.takeChanged() {
                publish(topics.value(sensor: reading.sensor, quantity: reading.quantity), DashboardTopics.valuePayload(reading), retain: true)
            }
            if ContinuousClock.now >= nextHealth {
                nextHealth = ContinuousClock.now + .seconds(config.dashboard.healthIntervalSeconds)
                do {
                    var report = try reader.withReader { reader in
                        try HealthReport.measure(
                            reader: reader, journalPath: config.journalPath, dataDirectory: config.dataDirectory,
                            platforms: config.platforms.map(\.id), claimsPlatforms: Set(config.platforms.filter { $0.kind == .claims }.map(\.id)))
                    }
                    report.rates(since: previous)
                    report.ingest = sink.state
                    previous = report
                    publish(topics.health, JSONText.serialize(report.json), retain: false)
                } catch {
                    logger.warning("could not measure health", metadata: ["error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
        publish(topics.status, "offline", retain: true)
        client.stopBackgroundLoop()
    }

    private func publish(_ topic: String, _ payload: String, retain: Bool) {
        do {
            try client.publish(topic: topic, text: payload, qos: 1, retain: retain)
        } catch {
            logger.debug("dashboard publish not sent", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}
