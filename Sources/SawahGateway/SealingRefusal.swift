/// Why the sealer will not sign a batch now; nothing is sealed, and the next pass tries again.
public enum SealingRefusal: Error, CustomStringConvertible, Equatable {
    /// The chain's newest rotation link hands signing to a key other than the one loaded.
    case keyNotNamedByRotation(rotation: Int64, named: String, loaded: String, keyFile: String?)

    public var description: String {
        switch self {
        case .keyNotNamedByRotation(let rotation, let named, let loaded, let keyFile):
            "the chain's key rotation (batch \(rotation)) hands signing to \(named), but the key file \(keyFile ?? "") holds \(loaded); "
                + "nothing is sealed until that key is in place (finish an interrupted rotation with `sawah identity rotate --complete`)"
        }
    }
}
