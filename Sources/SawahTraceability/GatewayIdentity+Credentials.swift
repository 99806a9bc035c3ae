import SawahCore

extension GatewayIdentity {
    /// Signs `credential` as the traceability certificates are signed: `vc+jwt`, ES256, the
    /// credential serialised with `JSONText`, the key named by `kid` (and an X.509 chain in
    /// `x5c` where the identity has one). For the other credentials the gateway issues (claims).
    public func signCredential(_ credential: JSONValue) throws -> String {
        try CompactJWS.sign(
            payload: Array(JSONText.serialize(credential).utf8),
            headerFields: ["typ": "vc+jwt", "cty": "vc", "kid": verificationMethod],
            key: privateKey, extraHeader: keyHeader
        ).compact
    }
}
