/// The spans the status page plots, each with a bucket width that keeps a plot near 300
/// points whatever the sampling rate: a phone draws buckets, never raw rows.
public enum SeriesRange: String, CaseIterable, Sendable {
    case day = "24h"
    case week = "7d"
    case month = "30d"

    public var milliseconds: Int64 {
        switch self {
        case .day: 86_400_000
        case .week: 7 * 86_400_000
        case .month: 30 * 86_400_000
        }
    }

    /// 5 min over a day (288 buckets), 30 min over a week (336), 2 h over 30 days (360).
    public var bucketMilliseconds: Int64 {
        switch self {
        case .day: 300_000
        case .week: 1_800_000
        case .month: 7_200_000
        }
    }
}
