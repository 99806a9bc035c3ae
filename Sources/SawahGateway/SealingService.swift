import Logging
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// Runs the sealer every `checkSeconds`, and once more on shutdown so nothing due is left.
public struct SealingService: Service {
    let sealer: BatchSealer
    let checkSeconds: Int
    let logger: Logger

    public init(sealer: BatchSealer, checkSeconds: Int, logger: Logger) {
        self.sealer = sealer
        self.checkSeconds = checkSeconds
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await sealOnOwnThread()
            let interval = checkSeconds
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(interval))
            }
        }
        await sealOnOwnThread()
    }

    /// A pass reads drafts, builds and signs certificates and commits them: synchronous
    /// SQLite and CPU work that must not hold a thread of the cooperative pool.
    private func sealOnOwnThread() async {
        await BlockingThread.run(name: "sawah-seal") { [self] in sealOnce() }
    }

    func sealOnce() {
        do {
            let corrected = try sealer.correctClock()
            if corrected > 0 {
                logger.notice("the clock is synchronised: readings received before got their true times", metadata: ["readings": "\(corrected)"])
            }
            let sealed = try sealer.sealDue(now: Clock.nowMilliseconds())
            if let first = sealed.first, let last = sealed.last {
                logger.info("sealed certificate batches", metadata: ["from": "\(first)", "to": "\(last)", "count": "\(sealed.count)"])
            }
        } catch {
            logger.error("sealing failed; readings stay unsealed and are retried", metadata: ["error": "\(error)"])
        }
    }
}
