import Crypto

/// `did:key` for P-256 keys: multicodec `p256-pub` (0x1200) + the compressed point, base58btc.
public enum DIDKey {
    private static let multicodec: [UInt8] = [0x80, 0x24]

    public static func did(for key: P256.Signing.PublicKey) -> String {
        "did:key:z" + Base58.encode(multicodec + Array(key.compressedRepresentation))
    }

    /// The verification method id used as the JWS `kid`: `did:key:z…#z…`.
    public static func verificationMethod(for key: P256.Signing.PublicKey) -> String {
        let did = did(for: key)
        return did + "#" + did.dropFirst("did:key:".count)
    }

    /// The public key a `did:key` (or its verification method) names, offline.
    public static func publicKey(from did: String) throws(JOSEError) -> P256.Signing.PublicKey {
        // A P-256 did:key is 57 characters (plus a fragment repeating it); base58 decoding is
        // quadratic, so a megabyte of "did:key:z…" would cost seconds to refuse. Length first.
        guard did.utf8.count <= 200 else { throw .badKey("a did:key of \(did.utf8.count) characters is not a P-256 key") }
        let bare = did.split(separator: "#").first.map(String.init) ?? did
        guard bare.hasPrefix("did:key:z"), let bytes = Base58.decode(String(bare.dropFirst("did:key:z".count))) else {
            throw .badKey("\(did) is not a base58btc did:key")
        }
        guard bytes.count == 35, Array(bytes.prefix(2)) == multicodec else {
            throw .badKey("\(did) does not name a P-256 key (multicodec p256-pub)")
        }
        do {
            return try P256.Signing.PublicKey(compressedRepresentation: bytes.dropFirst(2))
        } catch {
            throw .badKey("\(did) holds a point that is not on P-256")
        }
    }
}
