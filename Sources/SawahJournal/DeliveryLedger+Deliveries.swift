import SawahSQLite

extension DeliveryLedger {
    /// Adds a pending delivery row for every batch `platform` has not seen yet; returns how many.
    /// Key-rotation and record links are queued too: a credentials platform needs them to
    /// follow the chain. For a claims platform (`claims`) the rows are claims, by claim number.
    @discardableResult
    public func enqueueDeliveries(platform: String, now: Int64, claims: Bool = false) throws(JournalError) -> Int {
        try write("queue \(claims ? "claims" : "batches") for \(platform)") { db in
            let insert = try db.prepare(
                """
                INSERT INTO deliveries (platform, batch, state, updated_at)
                SELECT ?1, number, 'pending', ?2 FROM \(claims ? "claims" : "batches")
                WHERE number > (SELECT COALESCE(MAX(batch), 0) FROM deliveries WHERE platform = ?1)
                """)
            try insert.bind(platform, at: 1)
            try insert.bind(now, at: 2)
            try insert.step()
            return db.changes
        }
    }

    /// Puts attempts a crash interrupted back in the queue, due at once; returns how many.
    @discardableResult
    public func recoverInFlight(platform: String, now: Int64) throws(JournalError) -> Int {
        try write("recover deliveries to \(platform)") { db in
            let update = try db.prepare(
                """
                UPDATE deliveries SET state = 'pending', next_attempt = 0, updated_at = ?2,
                       last_error = COALESCE(last_error, 'interrupted by a restart')
                WHERE platform = ?1 AND state = 'in_flight'
                """)
            try update.bind(platform, at: 1)
            try update.bind(now, at: 2)
            try update.step()
            return db.changes
        }
    }

    /// Takes up to `limit` due batches for `platform`, oldest first, and marks them in flight
    /// (one more attempt each). Returns their numbers and attempt counts (this one included).
    public func claimDeliveries(platform: String, now: Int64, limit: Int) throws(JournalError) -> [(batch: Int64, attempts: Int64)] {
        try write("claim deliveries to \(platform)") { db in
            try db.transaction {
                let select = try db.prepare(
                    """
                    SELECT batch, attempts + 1 FROM deliveries WHERE platform = ? AND state = 'pending' AND next_attempt <= ?
                    ORDER BY batch LIMIT ?
                    """)
                try select.bind(platform, at: 1)
                try select.bind(now, at: 2)
                try select.bind(limit, at: 3)
                var claimed: [(batch: Int64, attempts: Int64)] = []
                while try select.step() { claimed.append((select.int64(0), select.int64(1))) }
                let update = try db.prepare(
                    """
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
    /// `pending` keep `error` as the platform's answer. A delivered batch with `disclosure` (the
    /// profile's hash and the certificate sent) is entered in the audit of disclosures in the
    /// same transaction, once: a resend after a crash finds it there.
    public func recordDelivery(
        platform: String, batch: Int64, state: DeliveryState, error: String? = nil,
        nextAttempt: Int64 = 0, now: Int64, disclosure: (profileHash: String, sent: String)? = nil
    ) throws(JournalError) {
        try write("record delivery of batch \(batch) to \(platform)") { db in
            try db.transaction {
                if state == .delivered, let disclosure {
                    let audit = try db.prepare(
                        "INSERT OR IGNORE INTO disclosures (platform, batch, profile_hash, sent, disclosed_at) VALUES (?, ?, ?, ?, ?)")
                    try audit.bind(platform, at: 1)
                    try audit.bind(batch, at: 2)
                    try audit.bind(disclosure.profileHash, at: 3)
                    try audit.bind(disclosure.sent, at: 4)
                    try audit.bind(now, at: 5)
                    try audit.step()
                }
                let update = try db.prepare(
                    """
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
    }

    /// Requeues dead deliveries (all of them, or one batch), on every platform or one; the
    /// attempt count starts again. Returns how many rows were requeued.
    @discardableResult
    public func requeueDeliveries(platform: String?, batch: Int64?, now: Int64) throws(JournalError) -> Int {
        try write("requeue deliveries") { db in
            let update = try db.prepare(
                """
                UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt = 0, updated_at = ?1
                WHERE state = 'dead' AND (?2 IS NULL OR platform = ?2) AND (?3 IS NULL OR batch = ?3)
                """)
            try update.bind(now, at: 1)
            if let platform { try update.bind(platform, at: 2) } else { try update.bindNull(at: 2) }
            if let batch { try update.bind(batch, at: 3) } else { try update.bindNull(at: 3) }
            try update.step()
            return db.changes
        }
    }
}
