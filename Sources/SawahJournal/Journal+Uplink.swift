import SawahSQLite

extension Journal {
    /// Adds a pending delivery row for every batch `platform` has not seen yet; returns how many.
    /// Key-rotation links are queued too: a credentials platform needs them to follow the chain.
    @discardableResult
    public func enqueueDeliveries(platform: String, now: Int64) throws(JournalError) -> Int {
        try maintain("queue batches for \(platform)") { store in
            let insert = try store.db.prepare("""
                INSERT INTO deliveries (platform, batch, state, updated_at)
                SELECT ?1, number, 'pending', ?2 FROM batches
                WHERE number > (SELECT COALESCE(MAX(batch), 0) FROM deliveries WHERE platform = ?1)
                """)
            try insert.bind(platform, at: 1)
            try insert.bind(now, at: 2)
            try insert.step()
            return store.db.changes
        }
    }

    /// Puts attempts a crash interrupted back in the queue, due at once; returns how many.
    @discardableResult
    public func recoverInFlight(platform: String, now: Int64) throws(JournalError) -> Int {
        try maintain("recover deliveries to \(platform)") { store in
            let update = try store.db.prepare("""
                UPDATE deliveries SET state = 'pending', next_attempt = 0, updated_at = ?2,
                       last_error = COALESCE(last_error, 'interrupted by a restart')
                WHERE platform = ?1 AND state = 'in_flight'
                """)
            try update.bind(platform, at: 1)
            try update.bind(now, at: 2)
            try update.step()
            return store.db.changes
        }
    }

    /// Takes up to `limit` due batches for `platform`, oldest first, and marks them in flight
    /// (one more attempt each). Returns their numbers and attempt counts (this one included).
    public func claimDeliveries(platform: String, now: Int64, limit: Int) throws(JournalError) -> [(batch: Int64, attempts: Int64)] {
        try maintain("claim deliveries to \(platform)") { store in
            try store.db.transaction {
                let select = try store.db.prepare("""
                    SELECT batch, attempts + 1 FROM deliveries WHERE platform = ? AND state = 'pending' AND next_attempt <= ?
                    ORDER BY batch LIMIT ?
                    """)
                try select.bind(platform, at: 1)
                try select.bind(now, at: 2)
                try select.bind(limit, at: 3)
                var claimed: [(batch: Int64, attempts: Int64)] = []
                while try select.step() { claimed.append((select.int64(0), select.int64(1))) }
                let update = try store.db.prepare("""
                    UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1, updated_at = ?
                    WHERE platform = ? AND batch = ?
                    """)
                for entry in claimed {
                    update.reset()
                    try update.bind(now, at: 1)
                    try update.bind(platform, at: 2)
                    try update.bind(entry.batch, at: 3)
                    try update.step()
                }
                return claimed
            }
        }
    }

    /// Records the outcome of an attempt. `pending` needs `nextAttempt`; `dead` and a retried
    /// `pending` keep `error` as the platform's answer.
    public func recordDelivery(platform: String, batch: Int64, state: DeliveryState, error: String? = nil,
                               nextAttempt: Int64 = 0, now: Int64) throws(JournalError) {
        try maintain("record delivery of batch \(batch) to \(platform)") { store in
            let update = try store.db.prepare("""
                UPDATE deliveries SET state = ?, last_error = COALESCE(?, CASE WHEN ? = 'delivered' THEN NULL ELSE last_error END),
                       next_attempt = ?, updated_at = ?
                WHERE platform = ? AND batch = ?
                """)
            try update.bind(state.rawValue, at: 1)
            if let error { try update.bind(error, at: 2) } else { try update.bindNull(at: 2) }
            try update.bind(state.rawValue, at: 3)
            try update.bind(nextAttempt, at: 4)
            try update.bind(now, at: 5)
            try update.bind(platform, at: 6)
            try update.bind(batch, at: 7)
            try update.step()
        }
    }

    /// Requeues dead deliveries (all of them, or one batch), on every platform or one; the
    /// attempt count starts again. Returns how many rows were requeued.
    @discardableResult
    public func requeueDeliveries(platform: String?, batch: Int64?, now: Int64) throws(JournalError) -> Int {
        try maintain("requeue deliveries") { store in
            let update = try store.db.prepare("""
                UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt = 0, updated_at = ?1
                WHERE state = 'dead' AND (?2 IS NULL OR platform = ?2) AND (?3 IS NULL OR batch = ?3)
                """)
            try update.bind(now, at: 1)
            if let platform { try update.bind(platform, at: 2) } else { try update.bindNull(at: 2) }
            if let batch { try update.bind(batch, at: 3) } else { try update.bindNull(at: 3) }
            try update.step()
            return store.db.changes
        }
    }

    /// The lowest sequence number retention must keep for the uplink: the first reading of a
    /// lot's sensors not yet sealed, or of a batch some platform does not have yet. nil when
    /// nothing is held back.
    public func uplinkHoldFrom(lots: [(id: String, sensors: [String])], platforms: [String]) throws(JournalError) -> Int64? {
        try maintain("find readings held for delivery") { store in
            var hold: Int64?
            func lower(_ value: Int64?) { if let value { hold = min(hold ?? value, value) } }
            for lot in lots where !lot.sensors.isEmpty {
                let placeholders = Array(repeating: "?", count: lot.sensors.count).joined(separator: ",")
                let query = try store.db.prepare("""
                    SELECT MIN(r.seq) FROM readings r JOIN series s ON s.id = r.series
                    WHERE r.seq > COALESCE((SELECT sealed_through FROM seal_cursors WHERE lot = ?), 0) AND s.sensor IN (\(placeholders))
                    """)
                try query.bind(lot.id, at: 1)
                for (index, sensor) in lot.sensors.enumerated() { try query.bind(sensor, at: Int32(index + 2)) }
                if try query.step(), !query.isNull(0) { lower(query.int64(0)) }
            }
            for platform in platforms {
                let query = try store.db.prepare("""
                    SELECT MIN(b.first_seq) FROM batches b
                    WHERE b.reading_count > 0 AND NOT EXISTS (
                        SELECT 1 FROM deliveries d WHERE d.platform = ? AND d.batch = b.number AND d.state = 'delivered')
                    """)
                try query.bind(platform, at: 1)
                if try query.step(), !query.isNull(0) { lower(query.int64(0)) }
            }
            return hold
        }
    }
}
