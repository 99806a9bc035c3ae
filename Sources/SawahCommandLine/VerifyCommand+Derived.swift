import ArgumentParser
import SawahStatus
import SawahTraceability

extension VerifyCommand {
    /// Checks a platform's derived copies: each on its own, and with `--bundles` the derivation
    /// from its original, re-derived byte for byte.
    func checkDerived(_ folder: String) throws {
        let copies = try CertificateBundleFiles.read(from: folder)
        guard !copies.isEmpty else { throw ValidationError("no batch-*.vc.jwt in \(folder)") }
        let originals = try bundles.map { try CertificateBundleFiles.read(from: $0) }
        let byNumber = Dictionary((originals ?? []).map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let (failures, notes) = CertificateVerifier().verifyCopies(copies, platformKey: try platformKey.map(PlatformKeyArgument.bytes)) { number in
            guard originals != nil else { return nil }
            return byNumber[number].map { .success($0) }
                ?? .failure(.init(batch: number, check: "derivation", detail: "no original batch \(number) in the --bundles folder"))
        }
        let scope = originals == nil ? "on their own (give --bundles with the originals to check the derivation)" : "and re-derive from their originals"
        try DerivedCopiesReport.print(failures: failures, notes: notes, copies: copies.count, verified: "are signed and hold \(scope)", place: "in \(folder)")
    }
}

/// How both derived-copy checks (`sawah verify --derived`, `sawah disclosures check`) answer:
/// notes first, then VERIFIED, or FAILED with every problem and exit status 1.
enum DerivedCopiesReport {
    static func print(failures: [VerificationFailure], notes: [String], copies: Int, verified: String, place: String) throws {
        for note in notes { Swift.print("note: \(note)") }
        if failures.isEmpty {
            Swift.print("VERIFIED: \(copies) derived copies \(place) \(verified)")
            return
        }
        Swift.print("FAILED: \(failures.count) problems in \(copies) derived copies \(place)")
        for failure in failures { Swift.print("  \(failure)") }
        throw ExitCode(1)
    }
}
