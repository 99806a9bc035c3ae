import Crypto
import Foundation
import _CryptoExtras

/// Password hashes in mosquitto 2.0's password-file format, `sha512-pbkdf2`:
/// `$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512>` with a 12-byte salt and a
/// 64-byte hash, as `mosquitto_passwd` writes them. Made here so a password never has to pass
/// through `mosquitto_passwd -b`'s command line (DESIGN.md: secrets never in argv).
public enum MosquittoPasswordHash {
    /// mosquitto_passwd uses 101; more makes a stolen password file costlier to attack, and a
    /// node logs in rarely (each login costs the broker one derivation, ~10 ms on a Pi 4).
    public static let iterations = 10_000

    public static func hash(password: String, salt: [UInt8]? = nil, iterations: Int = iterations) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = salt ?? (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha512,
            outputByteCount: 64, unsafeUncheckedRounds: iterations)
        let hash = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return "$7$\(iterations)$\(Data(salt).base64EncodedString())$\(hash)"
    }
}
