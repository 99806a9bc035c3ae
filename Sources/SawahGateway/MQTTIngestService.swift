import Foundation
import Logging
import SawahCore
import SawahJournal
import SawahMQTT
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// Subscribes to every sensor topic on a persistent session and commits what arrives before
/// acknowledging it.
///
/// The acknowledging loop blocks in `poll`, so it gets a thread of its own rather than a
/// cooperative-pool thread; `run()` waits for that thread to finish, so nothing outlives the
/// service. Graceful shutdown asks the loop to stop: it commits what it has read, sends the
/// PUBACKs and a DISCONNECT, and returns.
public struct MQTTIngestService: ReadingSource {
    public let name = "mqtt"
    let client: MQTTClient
    let router: SensorRouter
    let policy: GroupCommitPolicy
    let logger: Logger
    let heartbeat: PipelineHeartbeat
    let inboxReset: InboxResetGate

    public init(
        options: MQTTOptions, router: SensorRouter, policy: GroupCommitPolicy, ingest: IngestStore,
        heartbeat: PipelineHeartbeat, readiness: Readiness, logger: Logger
    ) throws {
        let logger = logger
        let clientID = options.clientID
        self.heartbeat = heartbeat
        // The broker kept nothing for us, so nothing can be redelivered: the inbox is reset,
        // before any commit (InboxResetGate).
        let gate = InboxResetGate(reset: { try ingest.forgetSession(client: clientID) })
        self.inboxReset = gate
        self.client = try MQTTClient(
            options: options,
            handlers: MQTTHandlers(onEvent: { event in
                Self.log(event, logger: logger)
                if case .subscribed = event { readiness.markReady() }
                if case .connected(let sessionPresent) = event {
                    do { try gate.connected(sessionPresent: sessionPresent) } catch {
                        logger.error("cannot reset the MQTT inbox; no message is acknowledged until it is", metadata: ["error": "\(error)"])
                    }
                }
            }))
        for filter in router.subscriptions {
            try client.subscribe(filter, qos: 1)
        }
        self.router = router
        self.policy = policy
        self.logger = logger
    }

    public func run(storingInto sink: ReadingSink) async throws {
        logger.info("connecting to MQTT broker", metadata: ["broker": "\(client.options.endpoint)", "client_id": "\(client.options.clientID)"])
        let client = self.client
        let pipeline = IngestPipeline(sink: sink, router: router, clientID: client.options.clientID, logger: logger)
        let policy = self.policy
        let logger = self.logger
        let heartbeat = self.heartbeat
        let inboxReset = self.inboxReset
        // Cancellation too: if another service fails, the group cancels, and this thread must
        // stop as it would for a graceful shutdown (commit, acknowledge, disconnect).
        await withTaskCancellationOrGracefulShutdownHandler {
            await BlockingThread.run(name: "sawah-mqtt-ingest") {
                client.runAcknowledgingLoop(
                    policy: policy,
                    commit: { messages in
                        try inboxReset.beforeCommit()
                        try pipeline.commit(messages)
                    },
                    commitFailed: { error in
                        logger.error("could not commit readings; dropping the connection so the broker redelivers them", metadata: ["error": "\(error)"])
                    },
                    alive: { heartbeat.markIngest() })
            }
        } onCancelOrGracefulShutdown: {
            client.requestStop()
        }
        let totals = sink.stats.snapshot
        logger.info(
            "MQTT ingest stopped",
            metadata: [
                "readings": "\(totals.readings)", "quarantined": "\(totals.quarantined)", "commits": "\(totals.commits)"
            ])
    }

    static func log(_ event: MQTTEvent, logger: Logger) {
        switch event {
        case .connected(let sessionPresent):
            logger.info("MQTT connected", metadata: ["session_present": "\(sessionPresent)"])
        case .connectRefused(let code, let reason):
            logger.error("MQTT broker refused the connection", metadata: ["code": "\(code)", "reason": "\(reason)"])
        case .connectionLost(let reason):
            logger.warning("MQTT connection lost", metadata: ["reason": "\(reason)"])
        case .reconnecting(let delay, let attempt):
            logger.info("MQTT reconnecting", metadata: ["in_seconds": "\(String(format: "%.1f", delay))", "attempt": "\(attempt)"])
        case .libraryMessage(let level, let text):
            if level == "error" {
                logger.error("libmosquitto", metadata: ["message": "\(text)"])
            } else {
                logger.warning("libmosquitto", metadata: ["message": "\(text)"])
            }
        case .subscribed(let filter):
            // At info: it is when messages start to be routed to us, which an operator (and a
            // test publishing right after start-up) needs to know.
            logger.info("MQTT subscribed", metadata: ["filter": "\(filter)"])
        }
    }
}
