import Foundation
import Logging
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import ServiceLifecycle

/// Applies the retention limits every `checkIntervalSeconds`: age, journal size, free disk.
/// Every eviction is counted in the journal and logged (DESIGN.md invariant 2).
public struct RetentionService: Service {
    let journal: RetentionStore
    let settings: GatewayConfiguration.Retention
    let dataDirectory: String
    /// Lots whose unsealed readings, and platforms whose undelivered batches, are held back
    /// from the size limit.
    let lots: [(id: String, sensors: [String])]
    let platforms: [String]
    let logger: Logger
    /// Given back when a pass fails for want of space (`SpaceReserve`); nil without a
    /// free-disk rule.
    let reserve: SpaceReserve?

    public init(
        journal: RetentionStore, settings: GatewayConfiguration.Retention, dataDirectory: String,
        lots: [(id: String, sensors: [String])] = [], platforms: [String] = [], logger: Logger
    ) {
        self.journal = journal
        self.settings = settings
        self.dataDirectory = dataDirectory
        self.lots = lots
        self.platforms = platforms
        self.logger = logger
        let megabyte: Int64 = 1024 * 1024
        self.reserve =
            settings.minFreeDiskMB > 0 && settings.reserveMB > 0
            ? SpaceReserve(path: dataDirectory + "/space-reserve", bytes: Int64(settings.reserveMB) * megabyte) : nil
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // Off the cooperative pool: a pass is synchronous SQLite (its reads, and its waits
            // for the journal's writer thread), which must not hold a pool thread.
            await BlockingThread.run(name: "sawah-retention") { [self] in enforceOnce() }
            let interval = settings.checkIntervalSeconds
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// One pass; errors are logged and retried at the next interval. A pass that fails because
    /// the disk is full gives back the reserve and runs again at once: the deletes it could
    /// not write are what would have made room.
    @discardableResult
    public func enforceOnce() -> RetentionReport? {
        if let report = enforce(releasingReserve: false) {
            reserve?.replenish(freeBytes: DiskSpace.freeBytes(at: dataDirectory), leaving: minFreeDiskBytes)
            return report
        }
        return nil
    }

    /// `min_free_disk_mb` in bytes.
    private var minFreeDiskBytes: Int64 { Int64(settings.minFreeDiskMB) * 1024 * 1024 }

    private func enforce(releasingReserve: Bool) -> RetentionReport? {
        let megabyte: Int64 = 1024 * 1024
        var policy = RetentionPolicy()
        if settings.maxAgeDays > 0 {
            policy.cutoff = Clock.nowMilliseconds() - Int64(settings.maxAgeDays) * 86_400_000
        }
        if settings.maxJournalMB > 0 { policy.maxBytes = Int64(settings.maxJournalMB) * megabyte }
        if settings.minFreeDiskMB > 0 {
            // Until the reserve is set aside again, room for it is part of what must be free.
            let missingReserve = reserve.map { $0.isHeld ? 0 : $0.bytes } ?? 0
            policy.minFreeDiskBytes = minFreeDiskBytes + missingReserve
        }
        do {
            policy.holdFrom = try journal.uplinkHoldFrom(lots: lots, platforms: platforms)
            let report = try journal.enforce(policy) { DiskSpace.freeBytes(at: dataDirectory) }
            if report.total > 0 {
                logger.warning(
                    "retention evicted data",
                    metadata: [
                        "by_age": "\(report.byAge)", "by_size": "\(report.bySize)",
                        "by_disk_pressure": "\(report.byDiskPressure)", "quarantine": "\(report.quarantine)",
                        "quarantine_for_space": "\(report.quarantineForSpace)"
                    ])
            }
            return report
        } catch {
            if !releasingReserve, error.isDiskFull, let reserve, reserve.release() {
                logger.warning(
                    "the disk is full: gave back the space reserve so that retention can evict for space",
                    metadata: ["reserve_bytes": "\(reserve.bytes)", "path": "\(reserve.path)"])
                return enforce(releasingReserve: true)
            }
            logger.error("retention pass failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
