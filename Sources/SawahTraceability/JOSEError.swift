/// Why a JWS or key was rejected: each case names the part that failed.
public enum JOSEError: Error, Equatable, CustomStringConvertible, Sendable {
    case malformed(String)
    case badKey(String)
    case unsupportedAlgorithm(String)
    case badSignature

    public var description: String {
        switch self {
        case .malformed(let why): "malformed JWS: \(why)"
        case .badKey(let why): "unusable key: \(why)"
        case .unsupportedAlgorithm(let alg): "unsupported JWS algorithm \"\(alg)\" (only ES256)"
        case .badSignature: "the ES256 signature does not match the header and payload"
        }
    }
}
