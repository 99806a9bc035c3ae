import Crypto
import FoundationEssentials
import SawahCore
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// What a buyer trusts, given to `sawah verify` and the platform: an expected issuer (a DID or
/// the RFC 7638 thumbprint of its key) and/or a CA bundle that gateway certificates (`x5c`)
/// must validate to. A chain that is only consistent with itself proves nothing about who made
/// it; with no anchor, or with one the chain does not meet, the verdict says so.
public struct IssuerTrust: Sendable {
    public var expectedIssuer: String?
    public var roots: [Certificate]

    public init(expectedIssuer: String? = nil, roots: [Certificate] = []) {
        self.expectedIssuer = expectedIssuer
        self.roots = roots
    }

    /// Reads a PEM file of CA certificates; an empty or unreadable bundle is an error that names
    /// the file.
    public static func caBundle(at path: String) throws -> [Certificate] {
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else { throw TrustError("cannot read the CA bundle \(path)") }
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
        } catch {
            throw TrustError("the CA bundle \(path) is not PEM certificates: \(error)")
        }
        guard !certificates.isEmpty else { throw TrustError("the CA bundle \(path) holds no CERTIFICATE block") }
        return certificates
    }

    /// Who signed the chain's first certificate, and whether the anchors bind that signer.
    /// Later keys are reached only through rotations the chain itself signs, which
    /// `CertificateVerifier` checks.
    public func evaluate(_ bundles: [CertificateBundle]) async -> IssuerVerdict {
        guard let first = bundles.first, let jws = try? CompactJWS(compact: first.jws),
            let credential = try? jws.payloadJSON(), case .string(let did)? = credential.value(at: "issuer.id"),
            let key = try? CertificateVerifier().issuerKey(did: did, jws: jws, fail: { _, _ in })
        else {
            return IssuerVerdict(issuer: "unknown", thumbprint: "unknown", anchors: [], problems: ["the first certificate's issuer and key cannot be read"])
        }
        let thumbprint = JWK(publicKey: key).thumbprint
        var anchors: [String] = []
        var problems: [String] = []
        if let expectedIssuer {
            if expectedIssuer == thumbprint || (expectedIssuer == did && did.hasPrefix("did:key:")) {
                anchors.append("the issuer is the expected \(expectedIssuer)")
            } else if expectedIssuer == did {
                // A did:web names a domain, not a key: anyone can sign as did:web:farm.example
                // with a key of their own in the header. Only the key's thumbprint, or a CA
                // certificate naming the domain, binds it.
                problems.append("\(did) names a domain, not a key: give its key thumbprint (--issuer \(thumbprint) if that is the farm's) or --ca-bundle")
            } else {
                problems.append("the chain is signed by \(did) (key \(thumbprint)), not by the expected \(expectedIssuer)")
            }
        }
        if !roots.isEmpty {
            switch await validateX5C(jws, key: key, did: did, at: validFrom(credential)) {
            case .success(let how): anchors.append(how)
            case .failure(let error): problems.append(error.message)
            }
        }
        if anchors.isEmpty && problems.isEmpty {
            problems.append("no trust anchor was given (--issuer, --ca-bundle), so nothing ties \(did) to a farm")
        }
        return IssuerVerdict(issuer: did, thumbprint: thumbprint, anchors: anchors, problems: problems)
    }

    /// Path validation of the first certificate's `x5c` to `roots` (RFC 5280: signatures,
    /// validity at signing time, basicConstraints, key usage), and for a did:web issuer the
    /// binding of the DID's domain to a DNS name in the leaf's subjectAltName.
    private func validateX5C(_ jws: CompactJWS, key: P256.Signing.PublicKey, did: String, at time: Date) async -> Result<String, TrustError> {
        guard case .object(let header) = jws.header, case .array(let items)? = header["x5c"], !items.isEmpty else {
            return .failure(TrustError("a CA bundle was given but the certificates carry no x5c chain"))
        }
        var chain: [Certificate] = []
        for item in items {
            guard case .string(let value) = item, let der = Data(base64Encoded: value),
                let certificate = try? Certificate(derEncoded: Array(der))
            else {
                return .failure(TrustError("an x5c entry is not a base64 DER certificate"))
            }
            chain.append(certificate)
        }
        guard let leaf = chain.first, P256.Signing.PublicKey(leaf.publicKey)?.rawRepresentation == key.rawRepresentation else {
            return .failure(TrustError("the x5c leaf does not hold the key that signed the certificate"))
        }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        guard case .validCertificate = result else {
            return .failure(TrustError("the x5c chain of \(leaf.subject) does not validate to the CA bundle at \(time)"))
        }
        let isAuthority = if case .isCertificateAuthority? = try? leaf.extensions.basicConstraints { true } else { false }
        let keyUsage = (try? leaf.extensions.keyUsage) ?? nil
        if isAuthority || keyUsage?.digitalSignature == false {
            return .failure(TrustError("the leaf \(leaf.subject) may not sign credentials (CA, or no digitalSignature key usage)"))
        }
        guard did.hasPrefix("did:web:") else { return .success("the x5c leaf \(leaf.subject) validates to the CA bundle") }
        // did:web:<host>[%3A<port>][:<path>…] — the host, without a port.
        let hostAndPort = String(did.dropFirst("did:web:".count).split(separator: ":").first ?? "")
        let domain = String(hostAndPort.lowercased().replacingOccurrences(of: "%3a", with: ":").split(separator: ":").first ?? "")
        let names =
            ((try? leaf.extensions.subjectAlternativeNames) ?? nil)?.compactMap { name -> String? in
                if case .dnsName(let dns) = name { return dns.lowercased() } else { return nil }
            } ?? []
        guard names.contains(domain.lowercased()) else {
            return .failure(
                TrustError(
                    "\(did) is not bound to the validated certificate: its subjectAltName names \(names.isEmpty ? "no DNS name" : names.joined(separator: ", ")), not \(domain)"
                ))
        }
        return .success("the x5c leaf \(leaf.subject) validates to the CA bundle and its subjectAltName binds \(domain)")
    }

    private func validFrom(_ credential: JSONValue) -> Date {
        if case .string(let text)? = credential.value(at: "validFrom"), let date = try? Date(text, strategy: .iso8601) { return date }
        return Date()
    }
}

/// The issuer of a chain and what anchors it: a verdict of VERIFIED needs at least one anchor
/// and no problem.
public struct IssuerVerdict: Sendable, Equatable {
    public var issuer: String
    public var thumbprint: String
    public var anchors: [String]
    public var problems: [String]

    public var isAnchored: Bool { !anchors.isEmpty && problems.isEmpty }
    /// "did:… (key thumbprint)", the signer as every verdict names it.
    public var signer: String { "\(issuer) (key \(thumbprint))" }
}

/// A trust anchor could not be read or the chain does not meet it.
public struct TrustError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
