import Foundation
import Testing

@testable import SawahUplink

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(initialSeconds: 2, maxSeconds: 60)

    @Test func theDelayDoublesWithJitterUpToTheCap() {
        // random 1 gives the ceiling, random 0 half of it.
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0) == 1)
        #expect(policy.delay(afterAttempt: 4, retryAfter: nil, random: 1) == 16)
        #expect(policy.delay(afterAttempt: 30, retryAfter: nil, random: 1) == 60)
        #expect(policy.delay(afterAttempt: 1_000, retryAfter: nil, random: 0.5) == 45)
    }

    @Test func retryAfterIsAFloorNotACeiling() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: 30, random: 1) == 30)
        #expect(policy.delay(afterAttempt: 6, retryAfter: 1, random: 1) == 60)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 1e9, random: 1) == 86_400, "an absurd Retry-After is capped at a day")
    }

    @Test func retryAfterParsesSecondsAndHTTPDates() {
        #expect(RetryPolicy.parseRetryAfter("120") == 120)
        #expect(RetryPolicy.parseRetryAfter(" 0 ") == 0)
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:29:30 GMT", now: now) == 90)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:20:00 GMT", now: now) == 0, "a date in the past means now")
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter("-5") == nil)
    }
}
