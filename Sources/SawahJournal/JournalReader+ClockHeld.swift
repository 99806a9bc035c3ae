/// Readings kept out of certificates because the gateway's clock was unsynchronised when they
/// arrived (DESIGN.md invariant 9).
public struct ClockHeldReadings: Sendable, Equatable {
    /// Received in this boot: they get their true times, and are sealed, once the clock is
    /// synchronised.
    public var awaitingSync: Int64
    /// Received in a boot that ended before its clock was synchronised: their wall time is
    /// unknown, so they stay in the journal, flagged, and are never sealed.
    public var neverSynchronised: Int64

    public init(awaitingSync: Int64, neverSynchronised: Int64) {
        self.awaitingSync = awaitingSync
        self.neverSynchronised = neverSynchronised
    }
}

extension JournalReader {
    /// How many readings an unsynchronised clock holds out of certificates, for this boot
    /// (`currentBoot`) and for earlier ones. Counted on the partial index of such readings, so
    /// it costs nothing on a gateway whose clock is good.
    public func clockHeldReadings(currentBoot: String?) throws(JournalError) -> ClockHeldReadings {
        try run("count readings held by an unsynchronised clock") {
            let query = try db.prepare(
                """
                SELECT COALESCE(SUM(boot IS (SELECT id FROM boots WHERE boot_id = ?)), 0), COUNT(*)
                FROM readings WHERE (quality & 8) != 0
                """)
            if let currentBoot { try query.bind(currentBoot, at: 1) } else { try query.bindNull(at: 1) }
            guard try query.step() else { return ClockHeldReadings(awaitingSync: 0, neverSynchronised: 0) }
            let current = query.int64(0)
            return ClockHeldReadings(awaitingSync: current, neverSynchronised: query.int64(1) - current)
        }
    }
}
