import Crypto
import FoundationEssentials
import SwiftASN1
import X509

/// The X.509 side of the gateway's identity: a CSR for a cooperative's or platform's CA, and
/// the chain it returns, which certificates then carry in the JWS header as `x5c`.
public enum GatewayCertificateChain {
    /// A certificate's URI naming the gateway it speaks for.
    public static let gatewayNamePrefix = "urn:sawah:gateway:"

    /// A PKCS#10 request for the gateway's key, PEM. With a gateway id it also asks for the
    /// subject alternative name `urn:sawah:gateway:<id>`, the name a platform requiring mutual
    /// TLS binds the gateway's chain to.
    public static func csr(identity: GatewayIdentity, commonName: String, organization: String?, gatewayID: String? = nil) throws -> String {
        let subject = try DistinguishedName {
            CommonName(commonName)
            if let organization { OrganizationName(organization) }
        }
        var attributes = CertificateSigningRequest.Attributes()
        if let gatewayID {
            let names = try Certificate.Extensions { SubjectAlternativeNames([.uniformResourceIdentifier(gatewayNamePrefix + gatewayID)]) }
            attributes = CertificateSigningRequest.Attributes([try CertificateSigningRequest.Attribute(ExtensionRequest(extensions: names))])
        }
        let request = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: Certificate.PrivateKey(identity.privateKey), attributes: attributes)
        return try request.serializeAsPEM().pemString
    }

    /// Checks a PEM chain (leaf first) returned by a CA: the leaf must hold the gateway's own
    /// public key, and each certificate must be signed by the next. Returns the `x5c` values
    /// (base64 DER, leaf first).
    public static func validate(pem: String, for identity: GatewayIdentity) throws(ChainError) -> [String] {
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
        } catch {
            throw .unreadable("\(error)")
        }
        guard let leaf = certificates.first else { throw .unreadable("no CERTIFICATE block") }
        guard let leafKey = P256.Signing.PublicKey(leaf.publicKey),
            leafKey.rawRepresentation == identity.publicKey.rawRepresentation
        else { throw .wrongKey(subject: "\(leaf.subject)") }
        try checkLinks(certificates)
        do {
            return try certificates.map { certificate in
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                return Data(serializer.serializedBytes).base64EncodedString()
            }
        } catch {
            throw .unreadable("\(error)")
        }
    }

    /// Parses `x5c` values and checks the links; returns the leaf's P-256 key and subject.
    public static func leaf(fromX5C values: [String]) throws(ChainError) -> (key: P256.Signing.PublicKey, subject: String) {
        var certificates: [Certificate] = []
        for value in values {
            guard let der = Data(base64Encoded: value) else { throw .unreadable("an x5c entry is not base64") }
            do { certificates.append(try Certificate(derEncoded: Array(der))) } catch { throw .unreadable("\(error)") }
        }
        guard let leaf = certificates.first, let key = P256.Signing.PublicKey(leaf.publicKey) else {
            throw .unreadable("x5c has no P-256 leaf certificate")
        }
        try checkLinks(certificates)
        return (key, "\(leaf.subject)")
    }

    private static func checkLinks(_ certificates: [Certificate]) throws(ChainError) {
        for (child, parent) in zip(certificates, certificates.dropFirst())
        where !parent.publicKey.isValidSignature(child.signature, for: child) {
            throw .brokenLink(child: "\(child.subject)", parent: "\(parent.subject)")
        }
    }

    public enum ChainError: Error, Equatable, CustomStringConvertible, Sendable {
        case unreadable(String)
        case wrongKey(subject: String)
        case brokenLink(child: String, parent: String)

        public var description: String {
            switch self {
            case .unreadable(let why): "certificate chain unreadable: \(why)"
            case .wrongKey(let subject): "the leaf certificate (\(subject)) is not for this gateway's key"
            case .brokenLink(let child, let parent): "\(child) is not signed by \(parent)"
            }
        }
    }
}
