import Crypto
import Foundation
import SawahTraceability

/// Verifies a compact JWS's ES256 signature with the `openssl` command line, which shares no
/// code with the project's JOSE: the signing input and the signature (JOSE's r‖s turned into
/// the DER OpenSSL reads) go to `openssl dgst -sha256 -verify` with the public key as PEM.
public enum OpenSSLSignatureCheck {
    /// nil when OpenSSL accepts the signature, else what it said.
    public static func problem(jws: String, key: P256.Signing.PublicKey) throws -> String? {
        let parts = jws.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = Base64URL.decode(String(parts[2])), raw.count == 64 else {
            return "not a compact JWS with a 64-byte ES256 signature"
        }
        let directory = try TemporaryDirectory(prefix: "openssl-jws")
        defer { directory.remove() }
        try Data((parts[0] + "." + parts[1]).utf8).write(to: URL(fileURLWithPath: directory.file("input")))
        try Data(try P256.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation).write(to: URL(fileURLWithPath: directory.file("sig.der")))
        try key.pemRepresentation.write(toFile: directory.file("key.pem"), atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(
            "/usr/bin/openssl",
            ["dgst", "-sha256", "-verify", directory.file("key.pem"), "-signature", directory.file("sig.der"), directory.file("input")])
        return result.status == 0 && result.output.contains("Verified OK") ? nil : result.output
    }
}
