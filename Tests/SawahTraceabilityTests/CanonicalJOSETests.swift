import Crypto
import Testing

@testable import SawahCore
@testable import SawahTraceability

/// Only one string verifies for a signed credential: a forger who cannot sign must not be able
/// to re-spell a farm's certificate (and so change its chain-link hash) and keep it valid.
@Suite struct CanonicalJOSETests {
    func signed(_ payload: String = #"{"issuer":"did:web:farm.example"}"#) throws -> (CompactJWS, P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        return (try CompactJWS.sign(payload: Array(payload.utf8), headerFields: ["typ": "vc+jwt"], key: key), key)
    }

    func parts(_ jws: CompactJWS) -> [String] { jws.compact.split(separator: ".").map(String.init) }

    @Test func signingAlwaysGivesLowS() throws {
        for _ in 0..<64 {
            let (jws, key) = try signed()
            let raw = try #require(Base64URL.decode(parts(jws)[2]))
            #expect(!ECDSALowS.isHigh(raw[32...]))
            try jws.verify(with: key.publicKey)
        }
    }

    @Test func theHighSTwinOfAValidSignatureIsRefused() throws {
        let (jws, key) = try signed()
        var pieces = parts(jws)
        let raw = try #require(Base64URL.decode(pieces[2]))
        // (r, n − s) is the same signature to plain ECDSA: prove it, then prove we refuse it.
        var twin = Array(raw[..<32])
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var digit = Int(ECDSALowS.order[index]) - Int(raw[32 + index]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            twin.insert(UInt8(digit), at: 32)
        }
        let plain = try P256.Signing.ECDSASignature(rawRepresentation: twin)
        let signingInput = Array((pieces[0] + "." + pieces[1]).utf8)
        #expect(key.publicKey.isValidSignature(plain, for: signingInput), "plain ECDSA accepts the twin")
        pieces[2] = Base64URL.encode(twin)
        let forged = try CompactJWS(compact: pieces.joined(separator: "."))
        #expect(throws: JOSEError.self) { try forged.verify(with: key.publicKey) }
        #expect(ECDSALowS.normalise(twin) == raw, "normalising the twin gives the original back")
    }

    @Test func paddingAndStrayBitsAreRefused() throws {
        let (jws, _) = try signed(#"{"a":1}"#)
        let pieces = parts(jws)
        // Padding on any part.
        for part in 0..<3 {
            var padded = pieces
            padded[part] += "="
            #expect(throws: JOSEError.self) { try CompactJWS(compact: padded.joined(separator: ".")) }
        }
        // The same bytes with non-zero bits after the last byte: the final character of a part
        // whose length is 2 or 3 mod 4 carries unused bits.
        let payload = pieces[1]
        #expect(payload.utf8.count % 4 != 0, "the test payload must leave unused bits")
        let last = payload.last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let position = alphabet.firstIndex(of: last)!
        var respelled = pieces
        respelled[1] = String(payload.dropLast()) + String(alphabet[position + 1])
        #expect(Base64URL.decode(respelled[1]) == nil)
        #expect(throws: JOSEError.self) { try CompactJWS(compact: respelled.joined(separator: ".")) }
        // Standard base64 characters are not base64url.
        #expect(Base64URL.decode("ab+/") == nil)
        #expect(Base64URL.decode("abcde") == nil, "no encoding has length 1 mod 4")
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode(Base64URL.encode([0xFB, 0xFF])) == [0xFB, 0xFF])
    }

    @Test func aCredentialWithTwoIssuerMembersIsRefused() throws {
        let (jws, key) = try signed(#"{"issuer":"did:web:farm.example","issuer":"did:web:forger.example"}"#)
        // The signature is good — the signer wrote ambiguous JSON — but no reader may pick one.
        try jws.verify(with: key.publicKey)
        #expect(throws: JOSEError.self) { try jws.payloadJSON() }
        do {
            _ = try jws.payloadJSON()
        } catch {
            #expect("\(error)".contains("\"issuer\" appears twice"))
        }
    }
}
