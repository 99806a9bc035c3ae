import SawahCore

/// One time bucket of one series, as the status page plots it.
public struct SeriesBucket: Sendable, Equatable {
    /// The bucket's start, ms since 1970 (aligned to the bucket width from 1970).
    public var start: Int64
    public var min: Double
    public var max: Double
    public var mean: Double
    public var count: Int64
}

/// One sensor quantity over a span, bucketed.
public struct SeriesSummary: Sendable, Equatable {
    public var sensor: String
    public var quantity: String
    public var unit: String
    public var buckets: [SeriesBucket]
}

/// A series' newest reading.
public struct LatestValue: Sendable, Equatable {
    public var sensor: String
    public var quantity: String
    public var unit: String
    public var value: Double
    public var observedAt: Int64
    public var receivedAt: Int64
    public var quality: Int64
}

extension JournalReader {
    /// Every series observed in `[from, to]`, as at most `(to - from) / bucketMilliseconds`
    /// min/max/mean buckets each: what a phone plots, never the raw rows.
    ///
    /// The readings table has no time index (one would cost a page write per commit, see
    /// README, wear). Sequence numbers follow receive time, so a binary search on the primary
    /// key finds where the span starts and the scan reads only the rows after it.
    public func seriesSummaries(from: Int64, to: Int64, bucketMilliseconds: Int64) throws(JournalError) -> [SeriesSummary] {
        precondition(bucketMilliseconds > 0, "a bucket has a width")
        let first = try firstSeq(receivedAtOrAfter: from)
        return try run("summarise series") {
            let query = try db.prepare(
                """
                SELECT s.sensor, s.quantity, s.unit, r.observed_at / ?1 AS bucket,
                       MIN(r.value), MAX(r.value), AVG(r.value), COUNT(*)
                FROM readings r JOIN series s ON s.id = r.series
                WHERE r.seq >= ?2 AND r.observed_at >= ?3 AND r.observed_at <= ?4
                GROUP BY r.series, bucket
                ORDER BY s.sensor, s.quantity, bucket
                """)
            try query.bind(bucketMilliseconds, at: 1)
            try query.bind(first, at: 2)
            try query.bind(from, at: 3)
            try query.bind(to, at: 4)
            var summaries: [SeriesSummary] = []
            while try query.step() {
                let (sensor, quantity, unit) = (query.text(0), query.text(1), query.text(2))
                let bucket = SeriesBucket(
                    start: query.int64(3) * bucketMilliseconds, min: query.double(4), max: query.double(5), mean: query.double(6),
                    count: query.int64(7))
                if let last = summaries.last, last.sensor == sensor, last.quantity == quantity {
                    summaries[summaries.count - 1].buckets.append(bucket)
                } else {
                    summaries.append(SeriesSummary(sensor: sensor, quantity: quantity, unit: unit, buckets: [bucket]))
                }
            }
            return summaries
        }
    }

    /// The newest reading of each series among the newest `window` readings: one bounded scan,
    /// however long the journal. A series silent for longer is absent.
    public func latestValues(window: Int64 = 200_000) throws(JournalError) -> [LatestValue] {
        try run("read the newest value per series") {
            let query = try db.prepare(
                """
                SELECT s.sensor, s.quantity, s.unit, r.value, r.observed_at, r.received_at, r.quality
                FROM readings r JOIN series s ON s.id = r.series
                WHERE r.seq IN (
                    SELECT MAX(seq) FROM readings
                    WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM readings) - ?1
                    GROUP BY series)
                ORDER BY s.sensor, s.quantity
                """)
            try query.bind(window, at: 1)
            var values: [LatestValue] = []
            while try query.step() {
                values.append(
                    LatestValue(
                        sensor: query.text(0), quantity: query.text(1), unit: query.text(2), value: query.double(3),
                        observedAt: query.int64(4), receivedAt: query.int64(5), quality: query.int64(6)))
            }
            return values
        }
    }

    /// The lowest sequence number received at or after `time`; past the newest when none is.
    /// Receive times grow with the sequence while the clock runs steadily. After the clock was
    /// stepped back, the search may land past readings received before the step that fall in
    /// the span: a plot of those hours can miss them (the journal still holds them).
    func firstSeq(receivedAtOrAfter time: Int64) throws(JournalError) -> Int64 {
        try run("find where a time span starts") {
            let bounds = try db.prepare("SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM readings")
            guard try bounds.step() else { return 0 }
            var (low, high) = (bounds.int64(0), bounds.int64(1) + 1)
            let probe = try db.prepare("SELECT seq, received_at FROM readings WHERE seq >= ? ORDER BY seq LIMIT 1")
            // Invariant: every row below `low` was received before `time`; `high` is at or after.
            while low < high {
                let middle = low + (high - low) / 2
                probe.reset()
                try probe.bind(middle, at: 1)
                guard try probe.step() else {
                    high = middle
                    continue
                }
                if probe.int64(1) < time { low = probe.int64(0) + 1 } else { high = middle }
            }
            return low
        }
    }
}
