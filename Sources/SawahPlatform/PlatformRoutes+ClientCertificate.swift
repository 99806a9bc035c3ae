import Hummingbird
import SawahTraceability

extension PlatformRoutes {
    /// The answer refusing `bundle` because the client certificate does not name the gateway
    /// whose chain it belongs to; nil when it does.
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
}
