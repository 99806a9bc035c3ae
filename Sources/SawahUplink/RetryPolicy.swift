import Foundation

/// Exponential backoff with full jitter, capped, and never sooner than the platform asked.
public struct RetryPolicy: Sendable {
    public var initialSeconds: Double
    public var maxSeconds: Double

    public init(initialSeconds: Double, maxSeconds: Double) {
        self.initialSeconds = initialSeconds
        self.maxSeconds = maxSeconds
    }

    /// Seconds to wait after attempt number `attempt` (1 for the first) failed. Jitter spreads
    /// a fleet of gateways that lost the same platform at once: a delay in [½d, d] for the
    /// doubled delay d. `retryAfter` (the platform's own figure) is a floor.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1)) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let ceiling = min(maxSeconds, initialSeconds * pow(2, exponent))
        let jittered = ceiling / 2 + ceiling / 2 * random
        return max(jittered, min(retryAfter ?? 0, 86_400))
    }

    /// Parses `Retry-After`: delay-seconds, or an HTTP-date (RFC 9110), relative to `now`.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0, seconds.isFinite { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
