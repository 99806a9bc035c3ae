/// What a platform's answer to a POST means, for endpoints that keep one item per id and name
/// on a 409 the digest of the one they hold (the credentials and claims endpoints): 2xx is
/// delivered; a 409 is delivered only when the digest is ours (a resend), and a dead letter
/// when it is another item under the same id; 408, 425, 429 and 5xx are retried.
enum IdempotentPostAnswer {
    static func outcome(_ response: PlatformResponse, ours: String, digestHeader: String, item: String) -> DeliveryOutcome {
        let summary = ProblemDetails.summary(status: response.status, body: response.body)
        switch response.status {
        case 200...299: return .delivered(note: nil)
        case 409:
            let held = response.headers.first(name: digestHeader)
            if held == ours { return .delivered(note: "the platform already had it") }
            return .dead(
                reason:
                    "the platform holds a different \(item) under this id (\(held.map { "digest \($0)" } ?? "no digest given"); ours is \(ours)): \(summary)")
        case 408, 425, 429, 500...599: return .retry(reason: summary, after: response.retryAfter)
        default: return .dead(reason: summary)
        }
    }
}
