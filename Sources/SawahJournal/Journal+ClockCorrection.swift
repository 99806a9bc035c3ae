import SawahCore
import SawahSQLite
import SawahSystem

/// The wall clock and the boot clock read at one instant, once the wall clock can be trusted:
/// their difference turns a reading's CLOCK_BOOTTIME stamp into its true wall time.
public struct SynchronisedClock: Sendable, Equatable {
    /// This boot's id (`/proc/sys/kernel/random/boot_id`).
    public var bootID: String
    /// Wall-clock milliseconds since 1970 less CLOCK_BOOTTIME milliseconds, sampled together.
    public var wallMinusBoottime: Int64

    public init(bootID: String, wallMinusBoottime: Int64) {
        self.bootID = bootID
        self.wallMinusBoottime = wallMinusBoottime
    }

    /// Both clocks now, read back to back (they drift apart by microseconds in between); nil
    /// where the kernel gives no boot id.
    public static func sample() -> SynchronisedClock? {
        guard let bootID = MonotonicClock.bootID() else { return nil }
        let boottime = MonotonicClock.boottimeMilliseconds()
        return SynchronisedClock(bootID: bootID, wallMinusBoottime: Clock.nowMilliseconds() - boottime)
    }
}

extension Journal {
    /// Gives the readings this boot received before the clock was synchronised their true
    /// times: receive time = boot-clock stamp + `clock.wallMinusBoottime`, and the observed
    /// time likewise where it was the receive time, or where the device's own time turns out
    /// to lie ahead of the corrected receive time by more than the allowed skew (then flagged
    /// implausible, as at ingest). The unsynchronised flag is replaced by `clockCorrected`.
    ///
    /// Only readings no batch holds are touched: batches sealed before readings were kept out
    /// of certificates (`excluded_quality` 0) may contain flagged readings, and their raw
    /// series must rebuild byte for byte. Returns how many readings were corrected.
    func correctClock(_ clock: SynchronisedClock) throws(JournalError) -> Int {
        try maintain("correct the times of readings received before the clock was synchronised") { store in
            // Asked before every sealing pass: a read of the (normally empty) partial index, so
            // that a gateway with nothing to correct takes no write lock.
            let pending = try store.db.prepare(
                "SELECT EXISTS (SELECT 1 FROM readings WHERE (quality & 8) != 0 AND boot = (SELECT id FROM boots WHERE boot_id = ?))")
            try pending.bind(clock.bootID, at: 1)
            guard try pending.step(), pending.int64(0) == 1 else { return 0 }
            pending.reset()
            return try store.db.transaction {
                let update = try store.db.prepare(
                    """
                    UPDATE readings SET
                        observed_at = CASE
                            WHEN (quality & ?1) != 0 OR observed_at > received_boottime + ?2 + ?3 THEN received_boottime + ?2
                            ELSE observed_at END,
                        quality = CASE
                            WHEN (quality & ?1) = 0 AND observed_at > received_boottime + ?2 + ?3 THEN quality | ?1
                            ELSE quality END & ~?4 | ?5,
                        received_at = received_boottime + ?2
                    WHERE (quality & 8) != 0 AND boot = (SELECT id FROM boots WHERE boot_id = ?6)
                      AND received_boottime IS NOT NULL
                      AND seq > (SELECT COALESCE(MAX(last_seq), 0) FROM batches WHERE excluded_quality = 0)
                    """)
                try update.bind(QualityFlags([.receiveTime, .implausibleDeviceTime]).rawValue, at: 1)
                try update.bind(clock.wallMinusBoottime, at: 2)
                try update.bind(DeviceTimestamp.allowedSkewMilliseconds, at: 3)
                try update.bind(QualityFlags.unsynchronisedGatewayClock.rawValue, at: 4)
                try update.bind(QualityFlags.clockCorrected.rawValue, at: 5)
                try update.bind(clock.bootID, at: 6)
                try update.step()
                return store.db.changes
            }
        }
    }
}
