import Crypto
import FoundationEssentials

extension CertificateBundle {
    /// The response header in which a platform names the digest of the certificate it holds
    /// under an id, so a sender can tell "you sent this already" from "I hold a different one".
    public static let digestHeader = "Sawah-Certificate-Digest"

    /// `sha-256=<base64>` of the compact JWS. The JWS signs the digests of the EPCIS document
    /// and the raw series, so for a bundle that verifies this names all three parts.
    public var digest: String {
        "sha-256=" + Data(SHA256.hash(data: Array(jws.utf8))).base64EncodedString()
    }
}
