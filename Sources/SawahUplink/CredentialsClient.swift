import SawahTraceability

/// Delivers whole certificate bundles to a credentials endpoint: `POST {url}` with the bundle
/// as JSON (`CertificateBundle.transferJSON`). 200/201/202 and 409 (it has that certificate
/// already) count as delivered.
struct CredentialsClient: Sendable {
    let transport: PlatformTransport

    func deliver(_ bundle: CertificateBundle) async -> DeliveryOutcome {
        let response: PlatformResponse
        do {
            response = try await transport.send(.POST, transport.platform.url, body: bundle.transferJSON(),
                                                 contentType: CertificateBundle.transferMediaType,
                                                 headers: [("Idempotency-Key", bundle.certificateID)])
        } catch {
            return .retry(reason: "\(error)", after: nil)
        }
        let summary = ProblemDetails.summary(status: response.status, body: response.body)
        switch response.status {
        case 200...299: return .delivered(note: nil)
        case 409: return .delivered(note: "the platform already had it")
        case 408, 425, 429, 500...599: return .retry(reason: summary, after: response.retryAfter)
        default: return .dead(reason: summary)
        }
    }
}
