import ArgumentParser
import SawahStatus
import SawahTraceability

extension VerifyCommand {
    /// Checks a platform's derived copies: each on its own, and with `--bundles` the derivation
    /// from its original, re-derived byte for byte.
    func checkDerived(_ folder: String) throws {
        let copies = try CertificateBundleFiles.read(from: folder)
        guard !copies.isEmpty else { throw ValidationError("no batch-*.vc.jwt in \(folder)") }
        let originals = try bundles.map { try CertificateBundleFiles.read(from: $0) } ?? []
        let byNumber = Dictionary(originals.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let key = try platformKey.map(PlatformKeyArgument.bytes)
        let verifier = CertificateVerifier()
        var failures: [VerificationFailure] = []
        var notes: Set<String> = []
        for copy in copies {
            if !CertificateVerifier.isDerived(copy) {
                failures.append(.init(batch: copy.number, check: "derived copy", detail: "\(copy.certificateID) is not a derived copy"))
                continue
            }
            failures += verifier.verify(copy, previous: nil).0
            guard bundles != nil else { continue }
            guard let original = byNumber[copy.number] else {
                failures.append(.init(batch: copy.number, check: "derivation", detail: "no original batch \(copy.number) in the --bundles folder"))
                continue
            }
            let (found, note) = verifier.verifyDerivation(copy, original: original, platformKey: key)
            failures += found
            if let note { notes.insert(note) }
        }
        for note in notes.sorted() { print("note: \(note)") }
        let scope = bundles == nil ? "on their own (give --bundles with the originals to check the derivation)" : "and re-derive from their originals"
        if failures.isEmpty {
            print("VERIFIED: \(copies.count) derived copies in \(folder) are signed and hold \(scope)")
            return
        }
        print("FAILED: \(failures.count) problems in \(copies.count) derived copies")
        for failure in failures { print("  \(failure)") }
        throw ExitCode(1)
    }
}
