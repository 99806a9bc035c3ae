import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import SawahCore
import SawahPages
import SawahTraceability

/// The reference platform's endpoints: the EPCIS 2.0 capture interface (`OPTIONS`/`POST
/// /capture`, `GET /capture/{id}`, `GET /events/{eventID}`), the credentials endpoint
/// (`POST /credentials`), the claims endpoint (`POST /claims`) and `GET /stats` for tests and
/// the demo.
struct PlatformRoutes: Sendable {
    let settings: PlatformSettings
    let store: PlatformStore
    let clients: PlatformClients
    /// Connections the bounds closed, for `/stats`.
    let connections: ConnectionLimiter.Counter
    let deadlines: RequestDeadline.Counter

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func register(on router: Router<PlatformRequestContext>) {
        router.on("/capture", method: .options) { _, _ in
            var headers: HTTPFields = [
                HTTPField.Name("GS1-Capture-Error-Behaviour")!: "rollback",
                HTTPField.Name("GS1-EPCIS-Version")!: "2.0.0",
                .allow: "OPTIONS, POST, GET"
            ]
            if settings.advertiseLimits {
                headers[HTTPField.Name("GS1-EPCIS-Capture-Limit")!] = String(settings.captureLimit)
                headers[HTTPField.Name("GS1-EPCIS-Capture-File-Size-Limit")!] = String(settings.fileSizeLimit)
            }
            return Response(status: .noContent, headers: headers)
        }
        router.post("/capture") { request, _ in try await capture(request) }
        router.get("/capture/:id") { _, context in
            guard let id = context.parameters.get("id").flatMap(Int64.init), let job = try store.job(id) else {
                return Problem.response(.notFound, type: "epcisException:NoSuchResourceException", title: "No such capture job", detail: "unknown capture id")
            }
            return Problem.json(job.json(now: Self.now()))
        }
        router.get("/events/:id") { _, context in
            let id = context.parameters.get("id")?.removingPercentEncoding ?? ""
            guard let text = try store.event(id) else {
                return Problem.response(.notFound, type: "epcisException:NoSuchResourceException", title: "No such event", detail: id)
            }
            return Response(status: .ok, headers: [.contentType: "application/ld+json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.post("/credentials") { request, context in try await credential(request, context: context) }
        router.post("/claims") { request, context in try await claim(request, context: context) }
        // The buyer's verifier (the same verify.html `sawah certificates export` writes): open
        // to anyone, since it holds no data and checks files the user gives it in the browser.
        router.get("/verify") { _, _ in
            Response(status: .ok, headers: Pages.verifier.headers, body: .init(byteBuffer: ByteBuffer(bytes: Pages.verifier.html)))
        }
        router.get("/stats") { _, _ in
            var figures = try store.statistics()
            figures["connections_refused"] = Int64(connections.refused.load(ordering: .relaxed))
            figures["requests_timed_out"] = Int64(deadlines.expired.load(ordering: .relaxed))
            return Problem.json(.object(figures.mapValues { .number(Double($0)) }))
        }
    }

    func capture(_ incoming: Request) async throws -> Response {
        var request = incoming
        guard let body = try await request.collectPayload(limit: settings.fileSizeLimit) else {
            store.bump("too_large")
            return Problem.response(
                .contentTooLarge, type: "epcisException:CaptureLimitExceededException", title: "Capture too large",
                detail: "the document exceeds GS1-EPCIS-Capture-File-Size-Limit (\(settings.fileSizeLimit) bytes)")
        }
        guard let document = try? JSONValue.parse(body), case .array(let events)? = document.value(at: "epcisBody.eventList") else {
            return Problem.response(
                .badRequest, type: "epcisException:ValidationException", title: "Not an EPCIS document",
                detail: "expected JSON with epcisBody.eventList")
        }
        guard events.count <= settings.captureLimit else {
            store.bump("too_large")
            return Problem.response(
                .contentTooLarge, type: "epcisException:CaptureLimitExceededException", title: "Too many events",
                detail: "\(events.count) events; GS1-EPCIS-Capture-Limit is \(settings.captureLimit)")
        }
        let behaviour = request.headers[HTTPField.Name("GS1-Capture-Error-Behaviour")!] == "proceed" ? "proceed" : "rollback"
        let now = Self.now()
        let job = try store.capture(
            events: events, context: document.value(at: "@context"), behaviour: behaviour, bytes: body.count,
            now: now, finishAt: now + Int64(settings.jobDelayMilliseconds))
        return Response(status: .accepted, headers: [.location: "/capture/\(job.id)"])
    }

    func credential(_ incoming: Request, context: PlatformRequestContext) async throws -> Response {
        var request = incoming
        guard let body = try await request.collectPayload(limit: settings.fileSizeLimit) else {
            return Problem.response(
                .contentTooLarge, type: "urn:sawah:problem:too-large", title: "Bundle too large",
                detail: "over \(settings.fileSizeLimit) bytes")
        }
        let bundle: CertificateBundle
        do {
            bundle = try CertificateBundle(transferJSON: body)
        } catch {
            return Problem.response(.badRequest, type: "urn:sawah:problem:malformed-bundle", title: "Malformed bundle", detail: error.description)
        }
        let chain = PlatformStore.chainName(bundle.certificateID)
        if let refusal = await foreignChainRefusal(chain: chain, id: bundle.certificateID, items: "certificates", request: request, context: context) {
            return refusal
        }
        let digest = HTTPField.Name(CertificateBundle.digestHeader)!
        switch try store.accept(bundle, now: Self.now()) {
        case .success(.stored):
            return Response(status: .created, headers: [.location: "/credentials/" + bundle.certificateID, digest: bundle.digest])
        case .success(.held):
            return Problem.response(
                .accepted, type: "urn:sawah:problem:held", title: "Held until its predecessor arrives",
                detail: "\(bundle.certificateID) verifies on its own; its link is checked when certificate \(bundle.number - 1) arrives",
                headers: [digest: bundle.digest])
        case .failure(.duplicate(let stored)):
            return Problem.response(
                .conflict, type: "urn:sawah:problem:duplicate-certificate", title: "Certificate already received",
                detail: bundle.certificateID, headers: [digest: stored])
        case .failure(.conflict(let stored)):
            return Problem.response(
                .conflict, type: "urn:sawah:problem:conflicting-certificate", title: "A different certificate has this id",
                detail: "the platform holds a different certificate under \(bundle.certificateID)", headers: [digest: stored])
        case .failure(.tooManyHeld(let limit)):
            return Problem.response(
                .tooManyRequests, type: "urn:sawah:problem:too-many-held", title: "Too many certificates waiting",
                detail: "\(limit) certificates of this chain already wait for their predecessors", headers: [.retryAfter: "30"])
        case .failure(.invalid(let failures)):
            return Problem.response(
                .unprocessableContent, type: "urn:sawah:problem:verification-failed", title: "Certificate does not verify",
                detail: failures.map(\.description).joined(separator: "; "))
        }
    }
}
