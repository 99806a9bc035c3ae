import Hummingbird
import SawahTraceability

extension PlatformRoutes {
    /// The answer refusing the item `id` because the client certificate does not name the
    /// gateway whose chain it belongs to; nil when it does.
    func certificateRefusal(chain: String, id: String, context: PlatformRequestContext) async -> Response? {
        guard let certificate = await context.clientCertificate() else {
            // The handshake required one: no certificate here means the check itself failed.
            return Problem.response(
                .forbidden, type: "urn:sawah:problem:no-client-certificate", title: "No client certificate",
                detail: "this platform delivers certificates only for a client certificate that names their gateway")
        }
        guard let identity = ClientCertificateIdentity(certificate) else {
            return Problem.response(
                .forbidden, type: "urn:sawah:problem:no-client-certificate", title: "Unreadable client certificate",
                detail: "the client certificate could not be read")
        }
        if let gateway = PlatformStore.gateway(ofChain: chain), identity.gateways.contains(gateway) { return nil }
        let named = identity.gateways.isEmpty ? "names no gateway" : "speaks for " + identity.gateways.sorted().joined(separator: ", ")
        return Problem.response(
            .forbidden, type: "urn:sawah:problem:foreign-chain", title: "Not this client's chain",
            detail: "the client certificate \(identity.subject) \(named); \(id) is not one of their chains")
    }

    /// A gateway's token delivers that gateway's chain only (its `items`: certificates or
    /// claims), so no client can start or continue another farm's chain; under mutual TLS the
    /// client certificate binds too, whatever token comes with it. nil when it may deliver.
    func foreignChainRefusal(chain: String, id: String, items: String, request: Request, context: PlatformRequestContext) async -> Response? {
        if case .gateway(let gateway)? = clients.client(authorization: request.headers[.authorization]),
            PlatformStore.gateway(ofChain: chain) != gateway
        {
            store.bump("foreign_chain")
            return Problem.response(
                .forbidden, type: "urn:sawah:problem:foreign-chain", title: "Not this client's chain",
                detail: "this token delivers gateway \(gateway)'s \(items); \(id) is not one of them")
        }
        if settings.clientCAFile != nil, let refusal = await certificateRefusal(chain: chain, id: id, context: context) {
            store.bump("foreign_chain")
            return refusal
        }
        return nil
    }
}
