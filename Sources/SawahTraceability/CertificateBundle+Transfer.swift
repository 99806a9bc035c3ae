import FoundationEssentials
import SawahCore

/// The bundle as a credentials platform receives it: one JSON object carrying the `vc+jwt`
/// certificate as text and the EPCIS document and raw series base64-encoded, so the bytes the
/// digests cover arrive unchanged:
/// `{"number": 42, "certificateId": "urn:…", "certificate": "eyJ…", "epcisDocument": "…", "rawSeries": "…"}`.
/// A key-rotation link has empty `epcisDocument` and `rawSeries`.
extension CertificateBundle {
    public static let transferMediaType = "application/json"

    public func transferJSON() -> [UInt8] {
        let object: JSONValue = .object([
            "number": .number(Double(number)),
            "certificateId": .string(certificateID),
            "certificate": .string(jws),
            "epcisDocument": .string(Data(epcis).base64EncodedString()),
            "rawSeries": .string(Data(rawSeries).base64EncodedString()),
        ])
        return Array(JSONText.serialize(object).utf8)
    }

    /// Reads a transferred bundle; the error names the member that is missing or malformed.
    public init(transferJSON bytes: [UInt8]) throws(BundleTransferError) {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw BundleTransferError(problem: error.description) }
        func text(_ key: String) throws(BundleTransferError) -> String {
            guard case .string(let value)? = json.value(at: key) else { throw BundleTransferError(problem: "\"\(key)\" missing or not a string") }
            return value
        }
        func decoded(_ key: String) throws(BundleTransferError) -> [UInt8] {
            guard let data = Data(base64Encoded: try text(key)) else { throw BundleTransferError(problem: "\"\(key)\" is not base64") }
            return Array(data)
        }
        guard case .number(let number)? = json.value(at: "number"), number >= 1, number == number.rounded(), number < 9e15 else {
            throw BundleTransferError(problem: "\"number\" missing or not a positive integer")
        }
        self.init(number: Int64(number), certificateID: try text("certificateId"), jws: try text("certificate"),
                  epcis: try decoded("epcisDocument"), rawSeries: try decoded("rawSeries"))
    }
}

public struct BundleTransferError: Error, CustomStringConvertible, Sendable {
    public var problem: String
    public var description: String { "certificate bundle: \(problem)" }
}
