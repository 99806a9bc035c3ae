extension CertificateVerifier {
    /// Who must have signed the certificate that follows `previous`: the key `previous` hands
    /// the chain to when it is a rotation, else the signer of `previous` itself (as
    /// `verify` names signers: a did:key, or another DID with its key's thumbprint). Nil when
    /// `previous` does not verify.
    public func expectedSuccessorSigner(after previous: CertificateBundle) -> String? {
        if let successor = rotationSuccessor(previous) { return successor }
        let (failures, signer) = verify(previous, previous: nil)
        return failures.contains { $0.check == "signature" } ? nil : signer
    }

    /// The continuity check `verifyChain` makes across a whole chain, for one link: a
    /// certificate that links to `previous` by hash but is signed by another key is somebody
    /// else continuing the farm's chain.
    public func continuityFailures(_ bundle: CertificateBundle, signer: String?, previous: CertificateBundle) -> [VerificationFailure] {
        guard let signer, let expected = expectedSuccessorSigner(after: previous), signer != expected else { return [] }
        return [VerificationFailure(batch: bundle.number, check: "issuer", detail: "signed by \(signer), but the chain's key at this point is \(expected)")]
    }
}
