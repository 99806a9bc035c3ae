import Logging
import ServiceLifecycle
import Synchronization

/// Tells systemd how the daemon is: `READY=1` once (when the MQTT session is subscribed, or
/// after `readyGraceSeconds` of trying, so an absent broker does not fail the unit), then
/// `WATCHDOG=1` every half `WatchdogSec` while the ingest pipeline makes progress, and
/// `STOPPING=1` at shutdown. A stalled pipeline gets no pings and systemd restarts it. Without
/// a heartbeat (sawah-uplink, whose unit sets no `WatchdogSec`) it only announces readiness and
/// shutdown: pinging on behalf of nothing would tell systemd a stuck process is alive.
public struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let heartbeat: PipelineHeartbeat?
    let readiness: Readiness
    let readyGraceSeconds: Int
    /// What `STATUS=` says once ready.
    let status: String
    let logger: Logger

    public init(
        notifier: SystemdNotifier, heartbeat: PipelineHeartbeat?, readiness: Readiness, readyGraceSeconds: Int = 10,
        status: String = "ingesting", logger: Logger
    ) {
        self.status = status
        self.notifier = notifier
        self.heartbeat = heartbeat
        self.readiness = readiness
        self.readyGraceSeconds = readyGraceSeconds
        self.logger = logger
    }

    public func run() async throws {
        let tick = notifier.watchdogInterval ?? .seconds(1)
        let started = ContinuousClock.now
        var stalledLogged = false
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if !readiness.isReady, ContinuousClock.now - started >= .seconds(readyGraceSeconds) {
                    logger.warning("not subscribed yet; telling systemd the gateway is ready anyway", metadata: ["after_seconds": "\(readyGraceSeconds)"])
                    readiness.markReady()
                }
                if readiness.takeReadyAnnouncement() {
                    notifier.notify("READY=1\nSTATUS=\(status)")
                }
                if let interval = notifier.watchdogInterval, let heartbeat {
                    // Progress within two ping intervals (the whole WatchdogSec) counts as alive.
                    let limit = interval.components.seconds * 2_000 + interval.components.attoseconds / 500_000_000_000_000
                    if heartbeat.ingestAge < limit {
                        notifier.notify("WATCHDOG=1")
                        stalledLogged = false
                    } else if !stalledLogged {
                        logger.error("ingest pipeline stalled: no progress; withholding the watchdog ping", metadata: ["stalled_ms": "\(heartbeat.ingestAge)"])
                        stalledLogged = true
                    }
                }
                try? await Task.sleep(for: tick)
            }
        } onGracefulShutdown: {
            notifier.notify("STOPPING=1")
        }
    }
}
