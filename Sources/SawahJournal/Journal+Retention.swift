import SawahSQLite

/// What retention may keep.
public struct RetentionPolicy: Sendable {
    /// Readings received before this instant (milliseconds since 1970) go; nil keeps all ages.
    public var cutoff: Int64?
    /// The journal's used pages are kept under this many bytes; nil for no limit.
    public var maxBytes: Int64?
    /// While the disk has less free space than this, the oldest readings go; nil to ignore.
    public var minFreeDiskBytes: Int64?
    /// The quarantine keeps at most this many payloads (newest kept).
    public var maxQuarantineRows: Int64 = 100_000
    /// ... and at most this many payload bytes (newest kept): junk sent on purpose is capped by
    /// what it weighs, not only by how many messages it took.
    public var maxQuarantineBytes: Int64 = 16 * 1024 * 1024
    /// Rows deleted per transaction, so ingest waits at most one small delete.
    public var chunk = 5_000
    /// Readings from this sequence number on are not yet sealed or not yet delivered to every
    /// platform (`Journal.uplinkHoldFrom`): the size limit never takes them; age and disk
    /// pressure still do, and count them as `evicted_before_delivery`.
    public var holdFrom: Int64?

    public init(cutoff: Int64? = nil, maxBytes: Int64? = nil, minFreeDiskBytes: Int64? = nil) {
        self.cutoff = cutoff
        self.maxBytes = maxBytes
        self.minFreeDiskBytes = minFreeDiskBytes
    }
}

/// What one retention pass evicted, by reason. Also added to the journal's counters.
public struct RetentionReport: Sendable, Equatable {
    public var byAge: Int64 = 0
    public var bySize: Int64 = 0
    public var byDiskPressure: Int64 = 0
    public var quarantine: Int64 = 0
    /// Quarantine rows dropped because the journal or the disk was short of space: they go,
    /// all of them if need be, before any reading does.
    public var quarantineForSpace: Int64 = 0

    public init() {}

    public var total: Int64 { byAge + bySize + byDiskPressure + quarantine + quarantineForSpace }
}

extension Journal {
    /// Applies the policy, oldest readings first, in small transactions. `freeDiskBytes` is
    /// asked again after each step under disk pressure, since deleting rows and returning pages
    /// to the filesystem is what frees space.
    func enforce(_ policy: RetentionPolicy, freeDiskBytes: () -> Int64?) throws(JournalError) -> RetentionReport {
        var report = RetentionReport()
        // The quarantine first: field junk is capped by age, rows and bytes before readings are
        // looked at, and under space pressure it is emptied before a single reading goes.
        report.quarantine = try maintain("prune quarantine") {
            try $0.pruneQuarantine(keep: policy.maxQuarantineRows, maxBytes: policy.maxQuarantineBytes, receivedBefore: policy.cutoff)
        }
        if let cutoff = policy.cutoff {
            while true {
                let deleted = try maintain("prune readings by age") {
                    try $0.deleteOldest(limit: policy.chunk, receivedBefore: cutoff, counter: "evicted_by_age", held: policy.holdFrom)
                }
                report.byAge += deleted
                if deleted < policy.chunk { break }
            }
        }
        if let maxBytes = policy.maxBytes {
            while try maintain("measure journal", { try $0.usedBytes() }) > maxBytes {
                let dropped = try maintain("empty quarantine for space") { try $0.dropQuarantine(limit: policy.chunk) }
                report.quarantineForSpace += dropped
                if dropped > 0 { continue }
                let deleted = try maintain("prune readings by size") {
                    try $0.deleteOldest(limit: policy.chunk, receivedBefore: nil, counter: "evicted_by_size", below: policy.holdFrom)
                }
                report.bySize += deleted
                if deleted == 0 { break }
            }
        }
        if let minFree = policy.minFreeDiskBytes {
            var rounds = 0
            while let free = freeDiskBytes(), free < minFree, rounds < 1_000 {
                rounds += 1
                let dropped = try maintain("empty quarantine for disk space") { try $0.dropQuarantine(limit: policy.chunk * 4) }
                report.quarantineForSpace += dropped
                let deleted =
                    dropped > 0
                    ? 0
                    : try maintain("prune readings for disk space") {
                        try $0.deleteOldest(limit: policy.chunk * 4, receivedBefore: nil, counter: "evicted_by_disk_pressure", held: policy.holdFrom)
                    }
                report.byDiskPressure += deleted
                try maintain("return free pages to the filesystem") { try $0.releaseFreePages() }
                if deleted == 0 && dropped == 0 { break }
            }
        }
        return report
    }
}

extension JournalStore {
    /// Deletes up to `limit` of the oldest readings (received before `receivedBefore`, if
    /// given, and with seq below `below`, if given) in one transaction and adds the count to
    /// `counter`; those at or above `held` are also counted as `evicted_before_delivery`.
    func deleteOldest(limit: Int, receivedBefore: Int64?, counter: String, below: Int64? = nil, held: Int64? = nil) throws -> Int64 {
        let deleted: Int64 = try db.transaction {
            // The newest reading always stays: it keeps the sequence from being reused.
            let candidates = """
                seq IN (SELECT seq FROM readings ORDER BY seq LIMIT ?1)
                AND received_at < ?2 AND seq < (SELECT MAX(seq) FROM readings) AND seq < ?3
                """
            func bindCandidates(_ statement: SQLiteStatement) throws {
                try statement.bind(limit, at: 1)
                try statement.bind(receivedBefore ?? Int64.max, at: 2)
                try statement.bind(below ?? Int64.max, at: 3)
            }
            if let held {
                let count = try db.prepare("SELECT COUNT(*) FROM readings WHERE \(candidates) AND seq >= ?4")
                try bindCandidates(count)
                try count.bind(held, at: 4)
                if try count.step(), count.int64(0) > 0 { try bump("evicted_before_delivery", by: count.int64(0)) }
            }
            // A reading's link quality goes with it (it would otherwise outlive it, and count
            // against max_journal_mb).
            let links = try db.prepare("DELETE FROM link_quality WHERE seq IN (SELECT seq FROM readings WHERE \(candidates))")
            try bindCandidates(links)
            try links.step()
            let delete = try db.prepare("DELETE FROM readings WHERE \(candidates)")
            try bindCandidates(delete)
            try delete.step()
            let count = Int64(db.changes)
            if count > 0 {
                try bump(counter, by: count)
                try bump(Self.readingsStored, by: -count)
            }
            return count
        }
        return deleted
    }

    /// Bytes in pages that hold data (the file minus its free list).
    func usedBytes() throws -> Int64 {
        let pages = try db.scalarInt("PRAGMA page_count") ?? 0
        let free = try db.scalarInt("PRAGMA freelist_count") ?? 0
        let size = try db.scalarInt("PRAGMA page_size") ?? 4096
        return (pages - free) * size
    }

    /// Shrinks the file by its free pages and copies the WAL back, so the space returns to the
    /// disk. A PASSIVE checkpoint never waits for readers (TRUNCATE waited up to the busy
    /// timeout, holding the writer, and every PUBACK, behind a dashboard's long read); the WAL
    /// file itself is cut back to `journal_size_limit` when SQLite next restarts it.
    func releaseFreePages() throws {
        try db.execute("PRAGMA incremental_vacuum")
        _ = try db.scalarInt("PRAGMA wal_checkpoint(PASSIVE)")
    }

    func pruneQuarantine(keep: Int64, maxBytes: Int64, receivedBefore: Int64?) throws -> Int64 {
        try db.transaction {
            let delete = try db.prepare(
                """
                DELETE FROM quarantine WHERE received_at < ?
                   OR id <= (SELECT COALESCE(MAX(id), 0) FROM quarantine) - ?
                """)
            try delete.bind(receivedBefore ?? Int64.min, at: 1)
            try delete.bind(keep, at: 2)
            try delete.step()
            var count = Int64(db.changes)
            // The byte cap: the newest rows whose payloads fit, the rest go.
            let overweight = try db.prepare(
                """
                DELETE FROM quarantine WHERE id < (
                    SELECT COALESCE(MIN(id), 0) FROM (
                        SELECT id, SUM(length(payload)) OVER (ORDER BY id DESC) AS newer FROM quarantine
                    ) WHERE newer <= ?)
                """)
            try overweight.bind(maxBytes, at: 1)
            try overweight.step()
            count += Int64(db.changes)
            if count > 0 {
                try bump("evicted_quarantine", by: count)
                try bump(Self.quarantineStored, by: -count)
            }
            return count
        }
    }

    /// Deletes up to `limit` of the oldest quarantine rows, for space; the count is returned
    /// and added to `evicted_quarantine_for_space`.
    func dropQuarantine(limit: Int) throws -> Int64 {
        try db.transaction {
            let delete = try db.prepare("DELETE FROM quarantine WHERE id IN (SELECT id FROM quarantine ORDER BY id LIMIT ?)")
            try delete.bind(limit, at: 1)
            try delete.step()
            let count = Int64(db.changes)
            if count > 0 {
                try bump("evicted_quarantine_for_space", by: count)
                try bump(Self.quarantineStored, by: -count)
            }
            return count
        }
    }
}
