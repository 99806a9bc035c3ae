/// One trade platform that certified batches are delivered to (`[[platforms]]` in the config).
/// Each platform has its own delivery state in the journal, so one that is down never holds
/// back ingest or the others.
public struct PlatformConfiguration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The EPCIS 2.0 REST capture interface: `OPTIONS`/`POST {url}/capture`, capture jobs,
        /// `GET {url}/events/{eventID}`.
        case epcis
        /// An HTTPS endpoint that receives the whole certificate bundle as JSON at `url`.
        case credentials
        /// An HTTPS endpoint that receives each claim (`sawah claims issue`) as JSON at `url`:
        /// the credential, its evidence bundle and the ePhyto prefill.
        case claims
    }

    /// Where an API credential goes: `Authorization: Bearer …` or a named header.
    public enum Authentication: Sendable, Equatable {
        case bearer(tokenFile: String)
        case apiKey(header: String, keyFile: String)
    }

    /// Short name used in the journal, logs and `sawah status`; must stay the same across
    /// restarts, since delivery state is kept under it.
    public var id: String
    public var kind: Kind
    /// The EPCIS base URL (capture is `{url}/capture`) or the credentials endpoint itself.
    public var url: String
    /// PEM bundle of the CAs trusted for this platform's server certificate; nil trusts the
    /// system's store. Verification is never switched off.
    public var caFile: String?
    /// Present the gateway's identity key and X.509 chain (`sawah identity install-cert`).
    public var clientCertificate = false
    public var authentication: Authentication?
    /// Gzip request bodies (`Content-Encoding: gzip`).
    public var gzip = false
    public var connectTimeoutSeconds = 10
    public var requestTimeoutSeconds = 60
    /// Requests in flight at once to this platform.
    public var concurrency = 2
    /// Upload bandwidth cap in bytes per second, for metered cellular links; nil for none.
    public var maxBytesPerSecond: Int?
    /// Backoff between attempts: starts here, doubles, capped at `retryMaxSeconds`, with jitter.
    public var retryInitialSeconds = 2.0
    public var retryMaxSeconds = 600.0
    /// `[platforms.disclosure]`: what this platform may receive of each batch; protected by
    /// default (no coordinates), see DisclosureProfile.
    public var disclosure = DisclosureProfile()

    public init(id: String, kind: Kind, url: String) {
        self.id = id
        self.kind = kind
        self.url = url
    }
}
