import NIOSSL
import SawahTraceability
import SwiftASN1
import X509

/// Which gateways a mutual-TLS client certificate speaks for. The CA that issued it vouches for
/// the names in it, so a certificate delivers the chains of the gateways it names and no other:
/// a subject common name equal to the gateway id, a DNS name equal to it, or a URI
/// `urn:sawah:gateway:<id>` (what `sawah identity csr` asks for).
struct ClientCertificateIdentity: Sendable, Equatable {
    /// The subject, for messages.
    let subject: String
    /// The gateway ids it names.
    let gateways: Set<String>

    init(subject: String, gateways: Set<String>) {
        self.subject = subject
        self.gateways = gateways
    }

    /// Reads the names; nil when the certificate cannot be parsed (the handshake validated it,
    /// so that would be a bug, and the caller refuses rather than guesses).
    init?(_ certificate: NIOSSLCertificate) {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
        self.init(parsed)
    }

    init(_ certificate: Certificate) {
        var names = Set<String>()
        for relative in certificate.subject {
            for attribute in relative where attribute.type == .RDNAttributeType.commonName {
                if let name = String(attribute.value) { names.insert(name) }
            }
        }
        // A certificate whose extensions do not parse names nothing beyond its subject.
        let alternatives = ((try? certificate.extensions.subjectAlternativeNames) ?? nil).map(Array.init) ?? []
        for name in alternatives {
            switch name {
            case .dnsName(let host): names.insert(host)
            case .uniformResourceIdentifier(let uri) where uri.hasPrefix(GatewayCertificateChain.gatewayNamePrefix):
                names.insert(String(uri.dropFirst(GatewayCertificateChain.gatewayNamePrefix.count)))
            default: break
            }
        }
        self.init(subject: "\(certificate.subject)", gateways: names.filter { !$0.isEmpty })
    }
}
