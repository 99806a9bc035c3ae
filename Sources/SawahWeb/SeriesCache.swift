import SawahCore
import Synchronization

/// The plots' buckets, kept for a while per range: a month of a farm's readings takes about
/// 0.4 s to bucket on an amd64 core (README, Performance), several times that on a board,
/// and every open page asks again at each refresh. The newest bucket may lag by `maxAge`; the
/// last values on the page come from /api/status, fresh each time.
final class SeriesCache: Sendable {
    private let entries = Mutex<[SeriesRange: (madeAt: Int64, value: JSONValue)]>([:])

    /// How long a range's buckets are served again: a tenth of a bucket's width.
    static func maxAge(_ range: SeriesRange) -> Int64 { range.bucketMilliseconds / 10 }

    /// The cached buckets of `range` if younger than `maxAge`, else `make()`'s, kept.
    func value(_ range: SeriesRange, now: Int64, make: () throws -> JSONValue) rethrows -> JSONValue {
        if let entry = entries.withLock({ $0[range] }), now - entry.madeAt < Self.maxAge(range), now >= entry.madeAt {
            return entry.value
        }
        let value = try make()
        entries.withLock { $0[range] = (now, value) }
        return value
    }
}
