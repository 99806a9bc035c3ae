import Crypto
import FuzzSupport
import SawahCore
import SawahTraceability

/// Mutated signed JWS strings must never verify: one credential, signed once with a fixed key;
/// the input splices bytes into its compact form (2 bytes position, 1 byte length to replace,
/// then the replacement). Any string other than the original that parses and verifies under
/// the same key is a second valid spelling of the credential — a malleability bug.
// nonisolated(unsafe): libFuzzer calls the harness from one thread; the key is never mutated.
nonisolated(unsafe) private let key = try! P256.Signing.PrivateKey(rawRepresentation: (1...32).map { UInt8($0) })
private let original: String = {
    let credential =
        #"{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:sawah:gw:certificate:1","issuer":{"id":"did:web:farm.example"},"type":["VerifiableCredential"]}"#
    return try! CompactJWS.sign(payload: Array(credential.utf8), headerFields: ["typ": "vc+jwt", "kid": "did:web:farm.example#key-1"], key: key).compact
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWS(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 3 else { return 0 }
    var bytes = Array(original.utf8)
    let position = (Int(data[0]) << 8 | Int(data[1])) % (bytes.count + 1)
    let length = min(Int(data[2]), bytes.count - position)
    bytes.replaceSubrange(position..<position + length, with: UnsafeBufferPointer(start: data + 3, count: size - 3))
    guard bytes != Array(original.utf8), let text = String(validating: bytes, as: UTF8.self),
        let jws = try? CompactJWS(compact: text), (try? jws.verify(with: key.publicKey)) != nil
    else { return 0 }
    // Surrounding whitespace is trimmed on purpose (files end in a newline); anything else is not.
    if jws.compact == original { return 0 }
    fatalError("a mutated JWS verifies: \(text.debugDescription)")
}

@_cdecl("FuzzJWS_main")
public func fuzzJWSMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzJWS)
}
