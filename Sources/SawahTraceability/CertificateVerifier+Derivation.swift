import FoundationEssentials
import SawahCore

extension CertificateVerifier {
    /// Whether `bundle` is a platform's derived copy (`CertificateIssuer.issueDerived`).
    public static func isDerived(_ bundle: CertificateBundle) -> Bool {
        guard let credential = try? CompactJWS(compact: bundle.jws).payloadJSON(), case .array(let types)? = credential.value(at: "type") else {
            return false
        }
        return types.contains(.string(CertificateIssuer.derivedType))
    }

    /// Checks that `derived` is what `original` gives under the disclosure profile the derived
    /// credential carries: it names the original by id and digest, and the EPCIS document and
    /// series re-derived from the original are its bytes. `platformKey` opens the pseudonyms;
    /// without it a pseudonymised copy is checked up to the ids, and the answer says so.
    /// Returns the failures and, when it could not check everything, what was left out.
    public func verifyDerivation(_ derived: CertificateBundle, original: CertificateBundle, platformKey: [UInt8]? = nil) -> (
        failures: [VerificationFailure], unchecked: String?
    ) {
        var failures: [VerificationFailure] = []
        func fail(_ check: String, _ detail: String) { failures.append(.init(batch: derived.number, check: check, detail: detail)) }
        guard let credential = try? CompactJWS(compact: derived.jws).payloadJSON(), case .array(let related)? = credential.value(at: "relatedResource")
        else {
            fail("derivation", "the derived credential cannot be read")
            return (failures, nil)
        }
        let originalLink = related.first { $0.value(at: "mediaType") == .string("application/vc+jwt") }
        if originalLink?.value(at: "id") != .string(original.certificateID)
            || originalLink?.value(at: "digestSRI") != .string(DigestSRI.sha256(Array(original.jws.utf8)))
        {
            fail("derivation", "names \(originalLink.map { JSONText.serialize($0) } ?? "no original"), not \(original.certificateID) with its digest")
            return (failures, nil)
        }
        guard let profileLink = related.first(where: { $0.value(at: "mediaType") == .string(CertificateIssuer.profileMediaType) }),
            case .string(let uri)? = profileLink.value(at: "id"), uri.hasPrefix("data:text/plain;base64,"),
            let text = Data(base64Encoded: String(uri.dropFirst("data:text/plain;base64,".count))),
            profileLink.value(at: "digestSRI") == .string(DigestSRI.sha256(Array(text))),
            let profile = DisclosureProfile(canonicalText: String(decoding: text, as: UTF8.self))
        else {
            fail("derivation", "the disclosure profile it carries is missing, unreadable or does not match its digest")
            return (failures, nil)
        }
        guard let platform = DisclosureDerivation.platform(ofDerived: derived.certificateID) else {
            fail("derivation", "\(derived.certificateID) does not name its platform (…:for:<platform>)")
            return (failures, nil)
        }
        let derivation = DisclosureDerivation(profile: profile, platform: platform, platformKey: platformKey)
        if derivation.pseudonymsUnknown {
            return (failures, "pseudonymised for \(derivation.platform): give that platform's key to check the derivation")
        }
        do {
            guard let again = try derivation.derive(original, always: true) else {
                fail("derivation", "\(profile.summary) removes nothing from \(original.certificateID): its platform gets the original, not a copy")
                return (failures, nil)
            }
            if again.epcis != derived.epcis {
                let difference = (try? JSONValue.parse(again.epcis)).flatMap { expected in
                    (try? JSONValue.parse(derived.epcis)).flatMap { JSONValue.firstDifference(expected, $0, path: "") }
                }
                fail("derivation", "the EPCIS document is not the original's under \(profile.summary): \(difference ?? "the bytes differ")")
            }
            if again.series != derived.rawSeries {
                let expected = String(decoding: again.series, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let found = String(decoding: derived.rawSeries, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let line = (0..<min(expected.count, found.count)).first { expected[$0] != found[$0] } ?? min(expected.count, found.count)
                fail(
                    "derivation",
                    "the series is not the original's under \(profile.summary): line \(line + 1) is \"\(line < found.count ? String(found[line]) : "missing")\", expected \"\(line < expected.count ? String(expected[line]) : "nothing")\""
                )
            }
        } catch {
            fail("derivation", error.description)
        }
        return (failures, nil)
    }
}

extension DisclosureProfile {
    /// The profile on one line, for messages.
    var summary: String { canonicalText.replacingOccurrences(of: "\n", with: "; ") }
}

extension CertificateVerifier {
    /// Checks derived copies: each on its own, and against its original where `original` gives
    /// one (nil: no originals to check against; a failure: why this one cannot be had).
    /// Returns every failure and the notes on what could not be checked.
    public func verifyCopies(
        _ copies: [CertificateBundle], platformKey: [UInt8]?, original: (Int64) throws -> Result<CertificateBundle, VerificationFailure>?
    ) rethrows -> (failures: [VerificationFailure], notes: [String]) {
        var failures: [VerificationFailure] = []
        var notes: Set<String> = []
        for copy in copies {
            guard Self.isDerived(copy) else {
                failures.append(.init(batch: copy.number, check: "derived copy", detail: "\(copy.certificateID) is not a derived copy"))
                continue
            }
            failures += verify(copy, previous: nil).0
            switch try original(copy.number) {
            case nil: continue
            case .failure(let failure): failures.append(failure)
            case .success(let source):
                let (found, note) = verifyDerivation(copy, original: source, platformKey: platformKey)
                failures += found
                if let note { notes.insert(note) }
            }
        }
        return (failures, notes.sorted())
    }
}
