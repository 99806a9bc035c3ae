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
        // Written straight into one buffer: the raw series of a full batch is hundreds of
        // kilobytes, and every intermediate copy is resident memory on a small board.
        var out: [UInt8] = []
        out.reserveCapacity(160 + certificateID.utf8.count + jws.utf8.count + (epcis.count + rawSeries.count) * 4 / 3 + 8)
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        append("{\"number\":\(number),\"certificateId\":")
        append(JSONText.serialize(.string(certificateID)))
        append(",\"certificate\":")
        append(JSONText.serialize(.string(jws)))
        append(",\"epcisDocument\":\"")
        out.append(contentsOf: Data(epcis).base64EncodedData())
        append("\",\"rawSeries\":\"")
        out.append(contentsOf: Data(rawSeries).base64EncodedData())
        append("\"}")
        return out
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
        self.init(
            number: Int64(number), certificateID: try text("certificateId"), jws: try text("certificate"),
            epcis: try decoded("epcisDocument"), rawSeries: try decoded("rawSeries"))
    }
}

public struct BundleTransferError: Error, CustomStringConvertible, Sendable {
    public var problem: String
    public var description: String { "certificate bundle: \(problem)" }
}
