import Crypto
import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability

/// ES256 compact JWS, checked against the W3C VC-JOSE-COSE test vector in ../shared/standards.
@Suite struct JOSETests {
    static let vectors = ProjectPaths.standards + "/w3c-vc/jose-test-vectors"

    func vectorKey() throws -> JWK {
        let method = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: Self.vectors + "/vm-p256.json"))))
        return try JWK(json: try #require(method.value(at: "publicKeyJwk")))
    }

    func vectorJWS() throws -> CompactJWS {
        try CompactJWS(compact: try String(contentsOfFile: Self.vectors + "/credential-jose-minimal.txt", encoding: .utf8))
    }

    @Test func theW3CTestVectorVerifies() throws {
        let jws = try vectorJWS()
        let key = try vectorKey()
        try jws.verify(with: try key.publicKey())
        #expect(jws.headerString("typ") == "vc+jwt")
        #expect(jws.headerString("cty") == "vc")
        #expect(jws.headerString("kid") == key.kid)
        #expect(key.thumbprint == key.kid, "the vector's kid is the RFC 7638 thumbprint")
        // The payload is the credential itself.
        let credential = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: Self.vectors + "/credential-minimal.json"))))
        let payload = try jws.payloadJSON()
        guard case .object(let expected) = credential, case .object(let actual) = payload else {
            Issue.record("credential and payload must be objects")
            return
        }
        for (name, value) in expected {
            #expect(actual[name] == value, "payload member \(name)")
        }
    }

    @Test func oneAlteredByteIsCaught() throws {
        let jws = try vectorJWS()
        let key = try vectorKey().publicKey()
        var parts = jws.compact.split(separator: ".").map(String.init)
        // Flip one character of the payload and, separately, of the signature.
        for part in [1, 2] {
            var altered = parts
            var characters = Array(altered[part])
            characters[10] = characters[10] == "A" ? "B" : "A"
            altered[part] = String(characters)
            let tampered = try CompactJWS(compact: altered.joined(separator: "."))
            #expect(throws: JOSEError.badSignature) { try tampered.verify(with: key) }
        }
        parts[0] = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8))
        #expect(throws: JOSEError.unsupportedAlgorithm("none")) { try CompactJWS(compact: parts.joined(separator: ".")).verify(with: key) }
    }

    @Test func signThenVerifyAndAnotherKeyFails() throws {
        let key = P256.Signing.PrivateKey()
        let jwk = JWK(publicKey: key.publicKey)
        let jws = try CompactJWS.sign(payload: Array(#"{"hello":"farm"}"#.utf8), headerFields: ["typ": "vc+jwt", "cty": "vc", "kid": jwk.thumbprint], key: key)
        try jws.verify(with: try jwk.publicKey())
        #expect(jws.headerString("alg") == "ES256")
        #expect(throws: JOSEError.badSignature) { try jws.verify(with: P256.Signing.PrivateKey().publicKey) }
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "!!.e30.AA", "e30.!!.AA"])
    func malformedCompactFormsAreNamed(text: String) {
        #expect(throws: JOSEError.self) { try CompactJWS(compact: text) }
    }

    @Test func badJWKsAreNamed() throws {
        #expect(throws: JOSEError.badKey("crv must be \"P-256\"")) {
            try JWK(json: try JSONValue.parse(Array(#"{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#.utf8)))
        }
        #expect(throws: JOSEError.badKey("x must be 32 bytes of base64url")) {
            try JWK(json: try JSONValue.parse(Array(#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#.utf8)))
        }
    }
}
