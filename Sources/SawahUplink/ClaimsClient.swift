import SawahClaims

/// Delivers claims to a claims endpoint: `POST {url}` with the claim as JSON
/// (`ClaimTransfer`). 2xx counts as delivered. A platform that recomputes claims answers 425
/// (or 409 with `Sawah-Claim-Digest` for one it already has) until the chain the claim rests
/// on has reached it, so 425 is retried; a 409 naming a different claim is a dead letter.
struct ClaimsClient: Sendable {
    let transport: PlatformTransport

    func deliver(_ claim: ClaimTransfer) async -> DeliveryOutcome {
        let response: PlatformResponse
        do {
            response = try await transport.send(
                .POST, transport.platform.url, body: claim.json(), contentType: ClaimTransfer.mediaType,
                headers: [("Idempotency-Key", claim.claimID)])
        } catch {
            return .retry(reason: "\(error)", after: nil)
        }
        return IdempotentPostAnswer.outcome(response, ours: claim.digest, digestHeader: ClaimTransfer.digestHeader, item: "claim")
    }
}
