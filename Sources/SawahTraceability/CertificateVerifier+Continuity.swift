import Crypto

extension CertificateVerifier {
    /// Who must have signed the certificate that follows `previous`: the key `previous` hands
    /// the chain to when it is a rotation, else the signer of `previous` itself (as
    /// `verify` names signers: a did:key, or another DID with its key's thumbprint). Nil when
    /// `previous` does not verify.
    public func expectedSuccessorSigner(after previous: CertificateBundle) -> String? {
        if let successor = rotationSuccessor(previous) { return successor }
        return signer(of: previous)
    }

    /// Who signed `bundle`, named as `verify` names signers, when the signature holds: one
    /// ECDSA verification, none of the costly checks.
    public func signer(of bundle: CertificateBundle) -> String? {
        guard let jws = try? CompactJWS(compact: bundle.jws), let credential = try? jws.payloadJSON(),
            case .string(let did)? = credential.value(at: "issuer.id"),
            let key = try? issuerKey(did: did, jws: jws, fail: { _, _ in }), (try? jws.verify(with: key)) != nil
        else { return nil }
        return Self.signerName(did: did, key: key)
    }

    /// How verdicts name a signer: a did:key names its key; any other DID is shown with the
    /// thumbprint of the key that signed, which is what the chain is pinned to.
    static func signerName(did: String, key: P256.Signing.PublicKey) -> String {
        did.hasPrefix("did:key:") ? did : did + " (key " + JWK(publicKey: key).thumbprint + ")"
    }

    /// The continuity check `verifyChain` makes across a whole chain, for one link: a
    /// certificate that links to `previous` by hash but is signed by another key is somebody
    /// else continuing the farm's chain.
    public func continuityFailures(_ bundle: CertificateBundle, signer: String?, previous: CertificateBundle) -> [VerificationFailure] {
        guard let signer, let expected = expectedSuccessorSigner(after: previous), signer != expected else { return [] }
        return [VerificationFailure(batch: bundle.number, check: "issuer", detail: "signed by \(signer), but the chain's key at this point is \(expected)")]
    }
}
