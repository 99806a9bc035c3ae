import Foundation
import SawahTraceability

/// Bundles on disk, one set of three files per batch, for a third party to verify offline:
/// `batch-000042.vc.jwt` (the credential), `batch-000042.epcis.jsonld`, `batch-000042.raw-series.csv`.
public enum CertificateBundleFiles {
    static func stem(_ number: Int64) -> String {
        let digits = String(number)
        return "batch-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func write(_ bundle: CertificateBundle, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = "\(directory)/\(stem(bundle.number))"
        try Data(bundle.jws.utf8).write(to: URL(fileURLWithPath: base + ".vc.jwt"))
        try Data(bundle.epcis).write(to: URL(fileURLWithPath: base + ".epcis.jsonld"))
        try Data(bundle.rawSeries).write(to: URL(fileURLWithPath: base + ".raw-series.csv"))
    }

    /// Every bundle in `directory`, by batch number. The certificate id comes from the
    /// credential itself (the verifier checks it against the number).
    /// Batch numbers a file name may carry: a chain long enough for centuries of sealing, and
    /// far enough from Int64's ends that no arithmetic on a crafted name can overflow.
    static let numbers: ClosedRange<Int64> = 1...999_999_999_999

    public static func read(from directory: String) throws -> [CertificateBundle] {
        // Claims exported beside the chain (ClaimFiles) are read by `sawah verify --claims`.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasSuffix(".vc.jwt") && !$0.hasPrefix(ClaimFiles.prefix)
        }
        let bundles = try names.map { name in
            let stem = String(name.dropLast(".vc.jwt".count))
            let digits = stem.dropFirst("batch-".count)
            guard stem.hasPrefix("batch-"), digits.count <= 12, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let number = Int64(digits), numbers.contains(number)
            else {
                throw BundleFileError(description: "\(directory)/\(name): expected batch-NNNNNN.vc.jwt with a batch number from 1 to \(numbers.upperBound)")
            }
            let jws = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let epcis = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(stem).epcis.jsonld"))
            let raw = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(stem).raw-series.csv"))
            var id = ""
            if let payload = try? CompactJWS(compact: jws).payloadJSON(), case .string(let value)? = payload.value(at: "id") { id = value }
            return CertificateBundle(number: number, certificateID: id, jws: jws, epcis: Array(epcis), rawSeries: Array(raw))
        }
        // By number, not by name: past batch 999999 the names are longer and sort wrongly.
        return bundles.sorted { $0.number < $1.number }
    }
}

/// A bundle folder holds a file that is not a bundle.
public struct BundleFileError: Error, CustomStringConvertible {
    public var description: String
}
