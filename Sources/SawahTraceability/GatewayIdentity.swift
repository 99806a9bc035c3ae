import Crypto
import FoundationEssentials
import SawahCore

#if canImport(Glibc)
import Glibc
#endif

/// The gateway's signing identity: a P-256 key in a PEM file of mode 0600, named as a
/// `did:key` (or the operator's `did:web`).
public struct GatewayIdentity: Sendable {
    /// The scalar, kept as bytes: swift-crypto's key type is not `Sendable`.
    private let keyBytes: [UInt8]
    public var privateKey: P256.Signing.PrivateKey {
        // The bytes came from a valid key, so this cannot fail.
        try! P256.Signing.PrivateKey(rawRepresentation: keyBytes)
    }
    /// The issuer id in credentials: `did:key:z…`, or `did:web:…` when configured.
    public let did: String

    public var publicKey: P256.Signing.PublicKey { privateKey.publicKey }
    public var jwk: JWK { JWK(publicKey: publicKey, kid: verificationMethod) }
    /// The JWS `kid`: for did:key the key's fragment, for did:web `#key-1`.
    public var verificationMethod: String {
        did.hasPrefix("did:key:") ? DIDKey.verificationMethod(for: publicKey) : did + "#" + JWK(publicKey: publicKey).thumbprint
    }
    /// RFC 7638 thumbprint, the short fingerprint operators compare.
    public var fingerprint: String { JWK(publicKey: publicKey).thumbprint }

    /// The X.509 chain (`x5c`, base64 DER, leaf first) a CA issued for this key, if installed.
    public var chain: [String]?

    /// Where an installed chain for the key at `keyPath` lives.
    public static func chainPath(forKey keyPath: String) -> String { keyPath + ".chain.pem" }

    public init(privateKey: P256.Signing.PrivateKey, didWeb: String? = nil, chain: [String]? = nil) {
        self.chain = chain
        self.keyBytes = Array(privateKey.rawRepresentation)
        self.did = didWeb ?? DIDKey.did(for: privateKey.publicKey)
    }

    /// Makes a new key and writes it to `path` with mode 0600. Refuses to overwrite: a
    /// gateway's key is its identity and its certificate chain.
    public static func create(at path: String, didWeb: String? = nil) throws(IdentityError) -> GatewayIdentity {
        let key = P256.Signing.PrivateKey()
        let pem = Array(key.pemRepresentation.utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .exists(path) }
            throw .io(path, String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let written = pem.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == pem.count, fsync(fd) == 0 else { throw .io(path, String(cString: strerror(errno))) }
        return GatewayIdentity(privateKey: key, didWeb: didWeb)
    }

    /// Loads the key; refuses a file that others can read.
    public static func load(from path: String, didWeb: String? = nil) throws(IdentityError) -> GatewayIdentity {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing(path) }
        guard info.st_mode & 0o077 == 0 else { throw .exposed(path, mode: Int(info.st_mode & 0o777)) }
        guard let data = FileManager.default.contents(atPath: path), let pem = String(data: data, encoding: .utf8) else {
            throw .io(path, "cannot read")
        }
        var identity: GatewayIdentity
        do {
            identity = GatewayIdentity(privateKey: try P256.Signing.PrivateKey(pemRepresentation: pem), didWeb: didWeb)
        } catch {
            throw .notAKey(path)
        }
        let chainFile = chainPath(forKey: path)
        if let chainData = FileManager.default.contents(atPath: chainFile) {
            do {
                identity.chain = try GatewayCertificateChain.validate(pem: String(decoding: chainData, as: UTF8.self), for: identity)
            } catch {
                throw .io(chainFile, error.description)
            }
        }
        return identity
    }
}

/// Why the identity key could not be made or used; never contains key material.
public enum IdentityError: Error, Equatable, CustomStringConvertible, Sendable {
    case exists(String)
    case missing(String)
    case exposed(String, mode: Int)
    case notAKey(String)
    case io(String, String)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists: refusing to overwrite the gateway's identity key"
        case .missing(let path): "\(path) does not exist: run `sawah identity create` first"
        case .exposed(let path, let mode): "\(path) has mode \(String(mode, radix: 8)): a private key must be 0600 (chmod 600 \(path))"
        case .notAKey(let path): "\(path) is not a PEM P-256 private key"
        case .io(let path, let why): "\(path): \(why)"
        }
    }
}

extension GatewayIdentity {
    /// Header members that let a verifier find the key offline: the `x5c` chain when a CA
    /// certified the key, and for `did:web` (which cannot be resolved offline) the public `jwk`.
    var keyHeader: [String: JSONValue] {
        var header: [String: JSONValue] = [:]
        if let chain { header["x5c"] = .array(chain.map { .string($0) }) }
        if !did.hasPrefix("did:key:") {
            header["jwk"] = .object(["kty": .string("EC"), "crv": .string("P-256"), "x": .string(jwk.x), "y": .string(jwk.y)])
        }
        return header
    }
}
