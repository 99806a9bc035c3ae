import SawahTraceability

/// Delivers whole certificate bundles to a credentials endpoint: `POST {url}` with the bundle
/// as JSON (`CertificateBundle.transferJSON`). 200/201/202 count as delivered (202: held
/// until its predecessor arrives). 409 counts only when the platform names the digest of this
/// very certificate; a 409 for a different certificate under the same id is a dead letter,
/// never "delivered".
struct CredentialsClient: Sendable {
    let transport: PlatformTransport

    func deliver(_ bundle: CertificateBundle) async -> DeliveryOutcome {
        let response: PlatformResponse
        do {
            response = try await transport.send(
                .POST, transport.platform.url, body: bundle.transferJSON(),
                contentType: CertificateBundle.transferMediaType,
                headers: [("Idempotency-Key", bundle.certificateID)])
        } catch {
            return .retry(reason: "\(error)", after: nil)
        }
        let summary = ProblemDetails.summary(status: response.status, body: response.body)
        switch response.status {
        case 200...299: return .delivered(note: nil)
        case 409:
            let held = response.headers.first(name: CertificateBundle.digestHeader)
            if held == bundle.digest { return .delivered(note: "the platform already had it") }
            return .dead(
                reason:
                    "the platform holds a different certificate under this id (\(held.map { "digest \($0)" } ?? "no digest given"); ours is \(bundle.digest)): \(summary)"
            )
        case 408, 425, 429, 500...599: return .retry(reason: summary, after: response.retryAfter)
        default: return .dead(reason: summary)
        }
    }
}
