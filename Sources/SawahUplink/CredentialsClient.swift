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
        return IdempotentPostAnswer.outcome(response, ours: bundle.digest, digestHeader: CertificateBundle.digestHeader, item: "certificate")
    }
}
