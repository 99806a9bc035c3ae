import HTTPTypes
import Hummingbird
import SawahClaims

extension PlatformRoutes {
    /// `POST /claims`: a claim (`ClaimTransfer`) recomputed against the chain this platform
    /// holds. 201 stored; 425 while a certificate or record it rests on has not arrived (the
    /// sender retries); 409 with the digest for one already held; 422 naming every problem.
    func claim(_ incoming: Request, context: PlatformRequestContext) async throws -> Response {
        var request = incoming
        guard let body = try await request.collectPayload(limit: settings.fileSizeLimit) else {
            return Problem.response(
                .contentTooLarge, type: "urn:sawah:problem:too-large", title: "Claim too large", detail: "over \(settings.fileSizeLimit) bytes")
        }
        let claim: ClaimTransfer
        do {
            claim = try ClaimTransfer(json: body)
        } catch {
            return Problem.response(.badRequest, type: "urn:sawah:problem:malformed-claim", title: "Malformed claim", detail: error.description)
        }
        let chain = PlatformStore.chainName(ofClaim: claim.claimID) ?? ""
        if let refusal = await foreignChainRefusal(chain: chain, id: claim.claimID, items: "claims", request: request, context: context) {
            return refusal
        }
        let digest = HTTPField.Name(ClaimTransfer.digestHeader)!
        switch try store.accept(claim, now: Self.now()) {
        case .success:
            return Response(status: .created, headers: [.location: "/claims/" + claim.claimID, digest: claim.digest])
        case .failure(.duplicate(let stored)):
            return Problem.response(
                .conflict, type: "urn:sawah:problem:duplicate-claim", title: "Claim already received", detail: claim.claimID, headers: [digest: stored])
        case .failure(.conflict(let stored)):
            return Problem.response(
                .conflict, type: "urn:sawah:problem:conflicting-claim", title: "A different claim has this id",
                detail: "the platform holds a different claim under \(claim.claimID)", headers: [digest: stored])
        case .failure(.notYet(let missing)):
            return Problem.response(
                .tooEarly, type: "urn:sawah:problem:evidence-not-here", title: "The chain the claim rests on has not arrived",
                detail: "\(missing.count) certificates not received yet, first \(missing[0])", headers: [.retryAfter: "5"])
        case .failure(.invalid(let problems)):
            return Problem.response(
                .unprocessableContent, type: "urn:sawah:problem:claim-does-not-hold", title: "Claim does not hold",
                detail: problems.joined(separator: "; "))
        }
    }
}
