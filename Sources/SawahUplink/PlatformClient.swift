import SawahTraceability

/// What an uploader needs from a trade platform: send one piece of work and learn, for each
/// batch in it, whether the platform has it, should be asked again, or refused it for good.
///
/// The seam between the delivery loop (queueing, claiming, backoff, dead letters, all in the
/// ledger) and the HTTP it speaks: `HTTPPlatformClient` is the real one; tests drive the loop
/// with a scripted one.
protocol PlatformClient: Sendable {
    func deliver(_ work: DeliveryWork) async -> [Int64: DeliveryOutcome]
}

/// A platform over HTTPS: EPCIS capture for capture work, the credentials endpoint for a
/// bundle, the claims endpoint for a claim, all on the platform's one transport.
struct HTTPPlatformClient: PlatformClient {
    let epcis: EPCISCaptureClient
    let credentials: CredentialsClient
    let claims: ClaimsClient

    init(transport: PlatformTransport) {
        epcis = EPCISCaptureClient(transport: transport)
        credentials = CredentialsClient(transport: transport)
        claims = ClaimsClient(transport: transport)
    }

    func deliver(_ work: DeliveryWork) async -> [Int64: DeliveryOutcome] {
        switch work {
        case .bundle(let bundle): [bundle.number: await credentials.deliver(bundle)]
        case .capture(let items): await epcis.deliver(items)
        case .claim(let number, let claim): [number: await claims.deliver(claim)]
        }
    }
}
