import Testing

@testable import SawahCore
@testable import SawahWeb

/// The plots' cache serves a range again only while it is young, and never across a clock
/// that went back; means are sent with six significant digits.
@Suite struct SeriesCacheTests {
    @Test func aRangeIsComputedAgainOnceItsBucketsAreOld() {
        let cache = SeriesCache()
        var computed = 0
        func ask(_ range: SeriesRange, at now: Int64) -> JSONValue {
            cache.value(range, now: now) {
                computed += 1
                return .number(Double(computed))
            }
        }
        #expect(ask(.day, at: 1_000_000) == .number(1))
        #expect(ask(.day, at: 1_000_000 + 29_999) == .number(1), "within a tenth of a 5-minute bucket")
        #expect(ask(.week, at: 1_000_000 + 29_999) == .number(2), "each range has its own entry")
        #expect(ask(.day, at: 1_000_000 + 30_000) == .number(3), "30 s later the day is bucketed again")
        #expect(ask(.day, at: 999_000) == .number(4), "a clock stepped back does not serve the future's buckets")
        #expect(SeriesCache.maxAge(.month) == 720_000)
    }

    @Test func meansKeepSixSignificantDigits() {
        #expect(StatusDocument.plotted(27.123456789) == 27.1235)
        #expect(StatusDocument.plotted(-0.000123456789) == -0.000123457)
        #expect(StatusDocument.plotted(1009.96666) == 1009.97)
        #expect(StatusDocument.plotted(0) == 0)
        #expect(StatusDocument.plotted(123_456_789) == 123_457_000)
    }
}
