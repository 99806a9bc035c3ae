import Logging
import SawahCore
import SawahJournal
import SawahTraceability
import ServiceLifecycle

/// Delivers every batch to one platform, oldest first, with up to `concurrency` requests in
/// flight, and records each outcome in the delivery ledger: delivered, retried after a backoff, or
/// dead with the platform's answer. One platform's troubles never touch another's loop.
struct PlatformUploader: Sendable {
    let platform: PlatformConfiguration
    let ledger: DeliveryLedger
    let client: any PlatformClient
    let disclosure: PlatformDisclosure
    let logger: Logger
    /// Batches per EPCIS capture group (split further to fit the platform's limits).
    var captureGroup = 100

    var policy: RetryPolicy { RetryPolicy(initialSeconds: platform.retryInitialSeconds, maxSeconds: platform.retryMaxSeconds) }

    /// How often an idle uploader looks for new batches and due retries.
    var idleSeconds: Double { min(1.0, max(0.05, platform.retryInitialSeconds)) }

    /// Runs until shutdown. A loop that cannot start throws, which ends sawah-uplink with an
    /// error (systemd restarts it) instead of leaving it READY with this platform undelivered.
    func run() async throws(UplinkLoopError) {
        let reader: JournalReader
        do {
            reader = try JournalReader(path: ledger.path)
            let recovered = try ledger.recoverInFlight(platform: platform.id, now: Clock.nowMilliseconds())
            if recovered > 0 {
                logger.notice("uplink: attempts interrupted by a restart are queued again", metadata: ["platform": "\(platform.id)", "batches": "\(recovered)"])
            }
        } catch {
            throw UplinkLoopError(platform: platform.id, problem: "cannot read the journal: \(error)")
        }
        await withTaskGroup(of: (claimed: [(batch: Int64, attempts: Int64)], outcomes: [Int64: DeliveryOutcome], sent: [Int64: String]).self) { group in
            var running = 0
            var lastEnqueue: Int64 = 0
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let now = Clock.nowMilliseconds()
                if now - lastEnqueue >= Int64(idleSeconds * 1000) || running == 0 {
                    lastEnqueue = now
                    do { try ledger.enqueueDeliveries(platform: platform.id, now: now, claims: platform.kind == .claims) } catch {
                        logger.error("uplink cannot queue batches", metadata: ["platform": "\(platform.id)", "error": "\(error)"])
                    }
                }
                while running < platform.concurrency {
                    let claimed: [(batch: Int64, attempts: Int64)]
                    do {
                        claimed = try ledger.claimDeliveries(
                            platform: platform.id, now: Clock.nowMilliseconds(),
                            limit: platform.kind == .epcis ? captureGroup : 1)
                    } catch {
                        logger.error("uplink cannot claim batches to send", metadata: ["platform": "\(platform.id)", "error": "\(error)"])
                        break
                    }
                    if claimed.isEmpty { break }
                    let loaded: DeliveryWork.Loaded
                    do {
                        loaded = try DeliveryWork.load(claimed.map(\.batch), kind: platform.kind, reader: reader, disclosure: disclosure, ledger: ledger)
                    } catch {
                        // Claimed but unreadable now: back in the queue with a backoff, not left in flight.
                        let retry = DeliveryOutcome.retry(reason: "reading the batch from the journal: \(error)", after: nil)
                        record(claimed: claimed, outcomes: Dictionary(uniqueKeysWithValues: claimed.map { ($0.batch, retry) }), sent: [:])
                        break
                    }
                    record(claimed: claimed, outcomes: loaded.settled, sent: loaded.sent)
                    guard let work = loaded.work else { continue }
                    running += 1
                    let sending = claimed.filter { loaded.settled[$0.batch] == nil }
                    let sent = loaded.sent
                    group.addTask { (sending, await client.deliver(work), sent) }
                }
                if running == 0 {
                    let pause = idleSeconds
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(pause)) }
                    continue
                }
                if let result = await group.next() {
                    running -= 1
                    record(claimed: result.claimed, outcomes: result.outcomes, sent: result.sent)
                }
            }
            // Requests under way are abandoned; their rows stay in flight and go back to the
            // queue at the next start (the platform recognises what it already has).
            group.cancelAll()
        }
    }

    /// Writes outcomes; a claimed batch with no outcome (cancelled) is left for recovery. A
    /// delivered batch enters the audit of disclosures with what was `sent`.
    func record(claimed: [(batch: Int64, attempts: Int64)], outcomes: [Int64: DeliveryOutcome], sent: [Int64: String]) {
        let now = Clock.nowMilliseconds()
        for (batch, attempts) in claimed {
            guard let outcome = outcomes[batch] else { continue }
            do {
                switch outcome {
                case .delivered(let note):
                    try ledger.recordDelivery(
                        platform: platform.id, batch: batch, state: .delivered, now: now,
                        disclosure: (disclosure.profileHash, sent[batch] ?? ""))
                    logger.debug("uplink delivered", metadata: ["platform": "\(platform.id)", "batch": "\(batch)", "note": "\(note ?? "")"])
                case .retry(let reason, let after):
                    let delay = policy.delay(afterAttempt: Int(attempts), retryAfter: after)
                    try ledger.recordDelivery(
                        platform: platform.id, batch: batch, state: .pending, error: reason,
                        nextAttempt: now + Int64(delay * 1000), now: now)
                    logger.warning(
                        "uplink will retry",
                        metadata: [
                            "platform": "\(platform.id)", "batch": "\(batch)", "attempt": "\(attempts)",
                            "retry_in_s": "\(Int(delay.rounded(.up)))", "reason": "\(reason)"
                        ])
                case .dead(let reason):
                    try ledger.recordDelivery(platform: platform.id, batch: batch, state: .dead, error: reason, now: now)
                    logger.error(
                        "uplink: the platform refused a batch; it waits in the dead-letter state (`sawah uplink retry`)",
                        metadata: ["platform": "\(platform.id)", "batch": "\(batch)", "reason": "\(reason)"])
                }
            } catch {
                logger.error(
                    "uplink cannot record an outcome; the batch will be sent again",
                    metadata: ["platform": "\(platform.id)", "batch": "\(batch)", "error": "\(error)"])
            }
        }
    }
}
