import Crypto
import FoundationEssentials
import SawahCore

/// A P-256 public key as a JSON Web Key (RFC 7517/7518), the form credentials name their
/// issuer key in.
public struct JWK: Sendable, Equatable {
    public var x: String
    public var y: String
    public var kid: String?

    public init(publicKey: P256.Signing.PublicKey, kid: String? = nil) {
        let point = Array(publicKey.x963Representation)  // 0x04 || X || Y
        x = Base64URL.encode(point[1...32])
        y = Base64URL.encode(point[33...64])
        self.kid = kid
    }

    /// Reads `{"kty":"EC","crv":"P-256","x":…,"y":…}`; the error says which member is wrong.
    public init(json: JSONValue) throws(JOSEError) {
        guard case .object(let members) = json else { throw .badKey("a JWK must be a JSON object") }
        guard case .string("EC")? = members["kty"] else { throw .badKey("kty must be \"EC\"") }
        guard case .string("P-256")? = members["crv"] else { throw .badKey("crv must be \"P-256\"") }
        guard case .string(let x)? = members["x"], Base64URL.decode(x)?.count == 32 else { throw .badKey("x must be 32 bytes of base64url") }
        guard case .string(let y)? = members["y"], Base64URL.decode(y)?.count == 32 else { throw .badKey("y must be 32 bytes of base64url") }
        self.x = x
        self.y = y
        if case .string(let kid)? = members["kid"] { self.kid = kid } else { self.kid = nil }
    }

    public func publicKey() throws(JOSEError) -> P256.Signing.PublicKey {
        guard let x = Base64URL.decode(x), let y = Base64URL.decode(y) else { throw .badKey("x/y are not base64url") }
        do {
            return try P256.Signing.PublicKey(x963Representation: [0x04] + x + y)
        } catch {
            throw .badKey("the point is not on the P-256 curve")
        }
    }

    /// RFC 7638 thumbprint: SHA-256 over the required members in lexical order, base64url.
    public var thumbprint: String {
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }

    /// The public JWK as JSON text with members in a fixed order.
    public var json: String {
        let kidPart = kid.map { #","kid":"\#($0)""# } ?? ""
        return #"{"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(y)"\#(kidPart)}"#
    }
}
