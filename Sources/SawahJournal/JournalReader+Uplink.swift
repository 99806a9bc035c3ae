import SawahSQLite

extension JournalReader {
    /// Delivery figures for each platform; the recent rate counts deliveries updated after
    /// `now - windowMilliseconds`. The queues of `claimsPlatforms` hold claims, not batches.
    public func deliveryStatus(
        platforms: [String], now: Int64, windowMilliseconds: Int64, claimsPlatforms: Set<String> = []
    ) throws(JournalError) -> [PlatformDeliveryStatus] {
        guard try hasDeliveriesTable() else { return platforms.map(PlatformDeliveryStatus.init(platform:)) }
        return try run("read delivery status") {
            try platforms.map { platform in
                var status = PlatformDeliveryStatus(platform: platform)
                let claims = claimsPlatforms.contains(platform)
                let source = claims ? "claims" : "batches"
                let counts = try db.prepare("SELECT state, COUNT(*) FROM deliveries WHERE platform = ? GROUP BY state")
                try counts.bind(platform, at: 1)
                while try counts.step() {
                    switch DeliveryState(rawValue: counts.text(0)) {
                    case .pending: status.pending = counts.int64(1)
                    case .inFlight: status.inFlight = counts.int64(1)
                    case .delivered: status.delivered = counts.int64(1)
                    case .dead: status.dead = counts.int64(1)
                    case nil: break
                    }
                }
                let unseen = try db.prepare(
                    """
                    SELECT COUNT(*) FROM \(source) WHERE number > (SELECT COALESCE(MAX(batch), 0) FROM deliveries WHERE platform = ?)
                    """)
                try unseen.bind(platform, at: 1)
                if try unseen.step() { status.unseen = unseen.int64(0) }
                let backlog = try db.prepare(
                    """
                    SELECT MIN(b.created_at), \(claims ? "0" : "COALESCE(SUM(b.reading_count), 0)") FROM \(source) b
                    LEFT JOIN deliveries d ON d.platform = ? AND d.batch = b.number
                    WHERE d.state IS NULL OR d.state IN ('pending', 'in_flight')
                    """)
                try backlog.bind(platform, at: 1)
                if try backlog.step() {
                    status.oldestUndeliveredCreatedAt = backlog.isNull(0) ? nil : backlog.int64(0)
                    status.undeliveredReadings = backlog.int64(1)
                }
                let recent = try db.prepare(
                    """
                    SELECT COUNT(*), MIN(updated_at) FROM deliveries
                    WHERE platform = ? AND state = 'delivered' AND updated_at > ?
                    """)
                try recent.bind(platform, at: 1)
                try recent.bind(now - windowMilliseconds, at: 2)
                if try recent.step() {
                    status.recentBatches = recent.int64(0)
                    status.recentSpanMilliseconds = recent.isNull(1) ? 0 : now - recent.int64(1)
                }
                // Dead answers matter most (they wait for an operator); then the newest retry.
                let error = try db.prepare(
                    """
                    SELECT batch, last_error FROM deliveries
                    WHERE platform = ? AND last_error IS NOT NULL AND state != 'delivered'
                    ORDER BY state = 'dead' DESC, updated_at DESC LIMIT 1
                    """)
                try error.bind(platform, at: 1)
                if try error.step() {
                    status.lastErrorBatch = error.int64(0)
                    status.lastError = error.text(1)
                }
                return status
            }
        }
    }

    /// Delivery rows, optionally of one platform and one state, oldest batch first.
    public func deliveries(platform: String? = nil, state: DeliveryState? = nil, limit: Int = 1_000) throws(JournalError) -> [DeliveryRecord] {
        guard try hasDeliveriesTable() else { return [] }
        return try run("read deliveries") {
            let query = try db.prepare(
                """
                SELECT platform, batch, state, attempts, next_attempt, last_error, updated_at FROM deliveries
                WHERE (?1 IS NULL OR platform = ?1) AND (?2 IS NULL OR state = ?2)
                ORDER BY batch, platform LIMIT ?3
                """)
            if let platform { try query.bind(platform, at: 1) } else { try query.bindNull(at: 1) }
            if let state { try query.bind(state.rawValue, at: 2) } else { try query.bindNull(at: 2) }
            try query.bind(limit, at: 3)
            var rows: [DeliveryRecord] = []
            while try query.step() {
                rows.append(
                    DeliveryRecord(
                        platform: query.text(0), batch: query.int64(1), state: DeliveryState(rawValue: query.text(2)) ?? .pending,
                        attempts: query.int64(3), nextAttempt: query.int64(4), lastError: query.isNull(5) ? nil : query.text(5),
                        updatedAt: query.int64(6)))
            }
            return rows
        }
    }

    /// One batch, or nil when there is none with that number.
    public func batch(_ number: Int64) throws(JournalError) -> StoredBatch? {
        try batches(number...number).first
    }

    /// A journal from before the uplink has no deliveries table until sawahd migrates it.
    private func hasDeliveriesTable() throws(JournalError) -> Bool {
        try run("look for the deliveries table") { try hasTable("deliveries") }
    }
}
