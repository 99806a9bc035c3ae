import Crypto
import FoundationEssentials
import SawahCore

/// A JWS in compact serialisation signed with ES256 — the `application/vc+jwt` securing of a
/// W3C Verifiable Credential 2.0 (VC-JOSE-COSE), where the payload is the credential itself.
public struct CompactJWS: Sendable {
    /// The protected header, as decoded JSON.
    public let header: JSONValue
    /// The payload bytes exactly as signed.
    public let payload: [UInt8]
    /// The compact form `header.payload.signature`.
    public let compact: String

    /// Signs `payload` with a protected header of `alg: ES256` plus `headerFields`
    /// (for a credential: `typ: vc+jwt`, `cty: vc`, `kid`). Header members are written in
    /// sorted order so the same inputs give the same header bytes.
    public static func sign(
        payload: [UInt8], headerFields: [String: String], key: P256.Signing.PrivateKey,
        extraHeader: [String: JSONValue] = [:]
    ) throws -> CompactJWS {
        var fields: [String: JSONValue] = extraHeader
        for (name, value) in headerFields { fields[name] = .string(value) }
        fields["alg"] = .string("ES256")
        let headerJSON = JSONText.serialize(.object(fields))
        let signingInput = Base64URL.encode(Array(headerJSON.utf8)) + "." + Base64URL.encode(payload)
        let signature = try key.signature(for: Array(signingInput.utf8))
        let compact = signingInput + "." + Base64URL.encode(ECDSALowS.normalise(Array(signature.rawRepresentation)))
        return try CompactJWS(compact: compact)
    }

    /// Splits and decodes a compact JWS; the signature is checked by `verify`.
    public init(compact: String) throws(JOSEError) {
        let parts = compact.trimmingSpaces.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected 3 dot-separated parts, found \(parts.count)") }
        guard let headerBytes = Base64URL.decode(parts[0]) else { throw .malformed("the header is not canonical base64url") }
        guard let payload = Base64URL.decode(parts[1]) else { throw .malformed("the payload is not canonical base64url") }
        guard Base64URL.decode(parts[2]) != nil else { throw .malformed("the signature is not canonical base64url") }
        do {
            header = try JSONValue.parse(headerBytes)
        } catch {
            throw .malformed("the header is not JSON: \(error)")
        }
        self.payload = payload
        self.compact = compact.trimmingSpaces
    }

    /// A header member, when it is a string.
    public func headerString(_ name: String) -> String? {
        if case .object(let members) = header, case .string(let value)? = members[name] { return value }
        return nil
    }

    /// Checks the ES256 signature over `header.payload` with `key`.
    public func verify(with key: P256.Signing.PublicKey) throws(JOSEError) {
        guard let alg = headerString("alg") else { throw .malformed("the header has no alg") }
        guard alg == "ES256" else { throw .unsupportedAlgorithm(alg) }
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        let signingInput = Array((parts[0] + "." + parts[1]).utf8)
        guard let raw = Base64URL.decode(parts[2]), raw.count == 64,
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: raw)
        else { throw .malformed("an ES256 signature is 64 bytes (r || s)") }
        guard !ECDSALowS.isHigh(raw[32...]) else {
            throw .malformed("the ES256 signature is not canonical (high S): only s ≤ n/2 is accepted")
        }
        guard key.isValidSignature(signature, for: signingInput) else { throw .badSignature }
    }

    /// The payload as JSON.
    public func payloadJSON() throws(JOSEError) -> JSONValue {
        do {
            return try JSONValue.parse(payload)
        } catch {
            throw .malformed("the payload is not JSON: \(error)")
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
