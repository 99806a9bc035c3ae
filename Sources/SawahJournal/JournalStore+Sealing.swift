import SawahCore
import SawahSQLite

extension JournalStore {
    /// Stores a batch built from `draft`, in one write transaction, if the journal still is as
    /// the draft saw it; returns its number, or nil when the draft is stale (nothing written).
    func commitSeal(_ draft: BatchDraft, _ sealed: SealedBatch) throws -> Int64? {
        guard let first = draft.rows.first, let last = draft.rows.last else { return nil }
        return try db.transaction { () throws -> Int64? in
            guard try isCurrent(draft, first: first.seq, last: last.seq) else { return nil }
            let insert = try db.prepare(
                """
                INSERT INTO batches (number, lot, sensors, first_seq, last_seq, reading_count, start_time, end_time,
                                     created_at, certificate_id, jws, epcis, raw_digest, excluded_quality)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let observed = draft.rows.map(\.reading.observedAt)
            try insert.bind(draft.number, at: 1)
            try insert.bind(draft.lot, at: 2)
            try insert.bind(draft.sensors.joined(separator: ","), at: 3)
            try insert.bind(first.seq, at: 4)
            try insert.bind(last.seq, at: 5)
            try insert.bind(Int64(draft.rows.count), at: 6)
            try insert.bind(observed.min()!, at: 7)
            try insert.bind(observed.max()!, at: 8)
            try insert.bind(sealed.createdAt, at: 9)
            try insert.bind(sealed.certificateID, at: 10)
            try insert.bind(sealed.jws, at: 11)
            try insert.bind(sealed.epcis, at: 12)
            try insert.bind(sealed.rawDigest, at: 13)
            try insert.bind(SealDraftQuery.excludedQuality, at: 14)
            try insert.step()
            let advance = try db.prepare(
                """
                INSERT INTO seal_cursors (lot, sealed_through) VALUES (?, ?)
                ON CONFLICT (lot) DO UPDATE SET sealed_through = excluded.sealed_through
                """)
            try advance.bind(draft.lot, at: 1)
            try advance.bind(last.seq, at: 2)
            try advance.step()
            return draft.number
        }
    }

    /// The lot's cursor, the chain's last batch and the batch's readings are what the draft saw.
    /// (Readings only ever get appended above the newest seq, so the count of the lot's readings
    /// between the first and last seq changes only if retention removed some; a clock
    /// correction only touches readings above the draft's last, where it stopped to wait.)
    private func isCurrent(_ draft: BatchDraft, first: Int64, last: Int64) throws -> Bool {
        let cursorQuery = try db.prepare("SELECT sealed_through FROM seal_cursors WHERE lot = ?")
        try cursorQuery.bind(draft.lot, at: 1)
        let cursor = try cursorQuery.step() ? cursorQuery.int64(0) : 0
        guard cursor == draft.cursor else { return false }
        let lastNumber = try db.scalarInt("SELECT COALESCE(MAX(number), 0) FROM batches") ?? 0
        guard lastNumber == draft.number - 1 else { return false }
        let placeholders = Array(repeating: "?", count: draft.sensors.count).joined(separator: ",")
        let count = try db.prepare(
            """
            SELECT COUNT(*) FROM readings r JOIN series s ON s.id = r.series
            WHERE r.seq BETWEEN ? AND ? AND (r.quality & \(SealDraftQuery.excludedQuality)) = 0 AND s.sensor IN (\(placeholders))
            """)
        try count.bind(first, at: 1)
        try count.bind(last, at: 2)
        for (index, sensor) in draft.sensors.enumerated() { try count.bind(sensor, at: Int32(index + 3)) }
        return try count.step() && count.int64(0) == Int64(draft.rows.count)
    }
}
