import Crypto
import Foundation
import TestSupport
import Testing

@testable import SawahTraceability

@Suite struct IdentityTests {
    @Test func createWritesAPrivateFileAndRefusesToOverwrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("identity.pem")
        let identity = try GatewayIdentity.create(at: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(throws: IdentityError.exists(path)) { try GatewayIdentity.create(at: path) }
        let loaded = try GatewayIdentity.load(from: path)
        #expect(loaded.did == identity.did)
        #expect(identity.did.hasPrefix("did:key:zDn"), "P-256 did:keys start with zDn")
        chmod(path, 0o644)
        #expect(throws: IdentityError.exposed(path, mode: 0o644)) { try GatewayIdentity.load(from: path) }
    }

    @Test func didKeyRoundTripsToThePublicKey() throws {
        let key = P256.Signing.PrivateKey()
        let did = DIDKey.did(for: key.publicKey)
        let back = try DIDKey.publicKey(from: DIDKey.verificationMethod(for: key.publicKey))
        #expect(back.rawRepresentation == key.publicKey.rawRepresentation)
        #expect(throws: JOSEError.self) { try DIDKey.publicKey(from: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK") }
        #expect(throws: JOSEError.self) { try DIDKey.publicKey(from: "did:web:example.com") }
        #expect(did.count > 40)
    }

    /// Base58 against the usual example encodings ("hello world"; leading zero bytes become '1's).
    @Test func base58MatchesAKnownEncoding() {
        #expect(Base58.encode([0, 0, 1, 2, 3]) == "11Ldp")
        #expect(Base58.decode("11Ldp") == [0, 0, 1, 2, 3])
        #expect(Base58.encode(Array("hello world".utf8)) == "StV1DL6CwTryKyV")
    }
}
