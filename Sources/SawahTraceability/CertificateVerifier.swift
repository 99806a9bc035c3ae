import Crypto
import FoundationEssentials
import SawahCore

/// One broken link, named: which batch, which check, and what was found.
public struct VerificationFailure: Error, Equatable, CustomStringConvertible, Sendable {
    public var batch: Int64
    public var check: String
    public var detail: String

    public init(batch: Int64, check: String, detail: String) {
        self.batch = batch
        self.check = check
        self.detail = detail
    }

    public var description: String { "batch \(batch): \(check): \(detail)" }
}

/// Checks certificate bundles offline: the ES256 signature and the issuer key, the credential,
/// both digests, every event's canonical hash, the statistics against the raw series, and the
/// hash chain back to the first certificate.
public struct CertificateVerifier: Sendable {
    public init() {}

    /// Every failure in `bundles`, which must be a gateway's chain in order from batch 1 (or
    /// from the batch after `anchor`, a certificate already trusted).
    public func verifyChain(_ bundles: [CertificateBundle], anchor: CertificateBundle? = nil) -> [VerificationFailure] {
        var failures: [VerificationFailure] = []
        var previous = anchor
        var issuer: String?
        for bundle in bundles {
            let (found, credentialIssuer) = verify(bundle, previous: previous)
            failures += found
            if let credentialIssuer {
                if let issuer, issuer != credentialIssuer {
                    failures.append(
                        .init(batch: bundle.number, check: "issuer", detail: "signed by \(credentialIssuer), but the chain's key at this point is \(issuer)"))
                }
                issuer = issuer ?? credentialIssuer
                // A rotation signed by the current key hands the chain to the key it names.
                if issuer == credentialIssuer, let successor = rotationSuccessor(bundle) { issuer = successor }
            }
            previous = bundle
        }
        return failures
    }

    /// The DID a key-rotation link names, or nil for an ordinary certificate.
    func rotationSuccessor(_ bundle: CertificateBundle) -> String? {
        guard let payload = try? CompactJWS(compact: bundle.jws).payloadJSON(), isRotation(payload),
            case .string(let did)? = payload.value(at: "credentialSubject.id")
        else { return nil }
        return did
    }

    private func isRotation(_ credential: JSONValue) -> Bool { hasType(credential, CertificateIssuer.rotationType) }

    private func hasType(_ credential: JSONValue, _ type: String) -> Bool {
        if case .array(let types)? = credential.value(at: "type") { return types.contains(.string(type)) }
        return false
    }

    /// Checks one bundle; `previous` is the certificate it must follow (nil for batch 1).
    /// Returns the failures and the issuer DID when the signature held.
    public func verify(_ bundle: CertificateBundle, previous: CertificateBundle?) -> ([VerificationFailure], String?) {
        var failures: [VerificationFailure] = []
        func fail(_ check: String, _ detail: String) { failures.append(.init(batch: bundle.number, check: check, detail: detail)) }

        let jws: CompactJWS
        let credential: JSONValue
        do {
            jws = try CompactJWS(compact: bundle.jws)
            credential = try jws.payloadJSON()
        } catch {
            fail("signature", "\(error)")
            return (failures, nil)
        }
        var issuerDID: String?
        if case .string(let did)? = credential.value(at: "issuer.id") {
            do {
                let key = try issuerKey(did: did, jws: jws, fail: fail)
                try jws.verify(with: key)
                // did:key names its key; any other DID is pinned to the key that signed batch 1.
                issuerDID = Self.signerName(did: did, key: key)
            } catch {
                fail("signature", "\(error) (issuer \(did))")
            }
        } else {
            fail("credential", "no issuer.id")
        }
        // Nothing costly for a certificate nobody signed: digests and event hashes are checked
        // only once the signature holds, so forged input is cheap to refuse.
        guard issuerDID != nil else { return (failures, nil) }
        if jws.headerString("typ") != "vc+jwt" { fail("signature", "typ is \(jws.headerString("typ") ?? "missing"), expected vc+jwt") }
        if case .string(let id)? = credential.value(at: "id"), id != bundle.certificateID {
            fail("credential", "id is \(id), expected \(bundle.certificateID) (a replayed certificate?)")
        }

        let related = relatedResources(credential)
        if isRotation(credential) {
            if case .string(let successor)? = credential.value(at: "credentialSubject.id"), (try? DIDKey.publicKey(from: successor)) == nil {
                fail("key rotation", "names \(successor), which is not a P-256 did:key")
            }
            checkChain(bundle, related: related, previous: previous, fail: fail)
            return (failures, issuerDID)
        }
        checkDigest(related, mediaType: "application/ld+json", bytes: bundle.epcis, name: "EPCIS document", fail: fail)
        if hasType(credential, CertificateIssuer.derivedType) {
            // A platform's derived copy: not a link of the chain; its derivation is checked
            // against the original by `verifyDerivation`.
            checkDigest(related, mediaType: AggregateSeries.mediaType, bytes: bundle.rawSeries, name: "series", fail: fail)
            checkEvents(bundle, credential: credential, statistics: false, fail: fail)
            return (failures, issuerDID)
        }
        if hasType(credential, ChainRecord.credentialType) {
            // A season or calibration record: one event, no readings.
            if !bundle.rawSeries.isEmpty { fail("chain record", "carries \(bundle.rawSeries.count) bytes of raw series; a record holds no readings") }
            if case .failure(let error) = ChainRecord.parse(epcis: bundle.epcis) { fail("chain record", error.description) }
            checkEvents(bundle, credential: credential, statistics: false, fail: fail)
            checkChain(bundle, related: related, previous: previous, fail: fail)
            return (failures, issuerDID)
        }
        checkDigest(related, mediaType: RawSeries.mediaType, bytes: bundle.rawSeries, name: "raw series", fail: fail)
        checkEvents(bundle, credential: credential, fail: fail)
        checkChain(bundle, related: related, previous: previous, fail: fail)
        return (failures, issuerDID)
    }

    /// The issuer's key: named by a did:key, or, for other DIDs (did:web cannot be resolved
    /// offline), carried in the header as an `x5c` leaf or a `jwk`. An `x5c` chain must link up
    /// and its leaf must hold the signing key.
    func issuerKey(did: String, jws: CompactJWS, fail: (String, String) -> Void) throws(JOSEError) -> P256.Signing.PublicKey {
        var chainKey: P256.Signing.PublicKey?
        if case .object(let header) = jws.header, case .array(let items)? = header["x5c"] {
            let values = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            do {
                chainKey = try GatewayCertificateChain.leaf(fromX5C: values).key
            } catch {
                fail("x5c", error.description)
            }
        }
        let kid = jws.headerString("kid") ?? "none"
        if did.hasPrefix("did:key:") {
            let key = try DIDKey.publicKey(from: did)
            if kid != DIDKey.verificationMethod(for: key) { fail("signature", "kid \(kid) is not the issuer's key \(did)") }
            if let chainKey, chainKey.rawRepresentation != key.rawRepresentation { fail("x5c", "the certificate's key is not the issuer's \(did)") }
            return key
        }
        if !kid.hasPrefix(did + "#") { fail("signature", "kid \(kid) does not belong to the issuer \(did)") }
        if let chainKey { return chainKey }
        if case .object(let header) = jws.header, let jwkValue = header["jwk"] {
            return try JWK(json: jwkValue).publicKey()
        }
        throw .badKey("\(did) cannot be resolved offline and the JWS carries neither x5c nor jwk")
    }

    private func relatedResources(_ credential: JSONValue) -> [(id: String, mediaType: String, digest: String)] {
        guard case .array(let items)? = credential.value(at: "relatedResource") else { return [] }
        return items.compactMap { item in
            guard case .string(let id)? = item.value(at: "id"), case .string(let type)? = item.value(at: "mediaType"),
                case .string(let digest)? = item.value(at: "digestSRI")
            else { return nil }
            return (id, type, digest)
        }
    }

    private func checkDigest(
        _ related: [(id: String, mediaType: String, digest: String)], mediaType: String, bytes: [UInt8],
        name: String, fail: (String, String) -> Void
    ) {
        guard let entry = related.first(where: { $0.mediaType == mediaType }) else {
            fail("\(name) digest", "the credential names no \(mediaType) resource")
            return
        }
        let actual = DigestSRI.sha256(bytes)
        if actual != entry.digest { fail("\(name) digest", "\(entry.id) has digest \(actual), the certificate signed \(entry.digest)") }
    }

    private func checkEvents(_ bundle: CertificateBundle, credential: JSONValue, statistics: Bool = true, fail: (String, String) -> Void) {
        guard let document = try? JSONValue.parse(bundle.epcis), case .array(let events)? = document.value(at: "epcisBody.eventList") else {
            fail("EPCIS document", "not an EPCIS JSON-LD document with epcisBody.eventList")
            return
        }
        let hasher = EventHash(context: document.value(at: "@context"))
        var subjectIDs: [String] = []
        if case .array(let subjects)? = credential.value(at: "credentialSubject") {
            for case .string(let id)? in subjects.map({ $0.value(at: "id") }) { subjectIDs.append(id) }
        }
        for (index, event) in events.enumerated() {
            guard case .object(var members) = event, case .string(let stated)? = members["eventID"] else {
                fail("event hash", "event \(index) has no eventID")
                continue
            }
            members.removeValue(forKey: "eventID")
            let recomputed = hasher.eventID(for: .object(members))
            if recomputed != stated { fail("event hash", "event \(index): eventID \(stated) but its content hashes to \(recomputed)") }
            if !subjectIDs.contains(stated) { fail("event hash", "event \(index) (\(stated)) is not the credential's subject") }
        }
        if statistics { checkStatistics(bundle, events: events, fail: fail) }
    }

    /// The event's min/max/mean must be what the raw series gives.
    private func checkStatistics(_ bundle: CertificateBundle, events: [JSONValue], fail: (String, String) -> Void) {
        let rows: [RawSeries.Row]
        switch RawSeries.parse(bundle.rawSeries) {
        case .success(let parsed): rows = parsed
        case .failure(let error):
            fail("raw series", error.description)
            return
        }
        var groups: [String: [Double]] = [:]
        for row in rows { groups["\(row.reading.sensor)\u{0}\(row.reading.quantity)", default: []].append(row.reading.value) }
        let names = groups.keys.sorted()
        let expected = names.compactMap { SensorStatistics(groups[$0]!)?.rounded(places: 6) }
        var stated: [(Double, Double, Double)] = []
        for event in events {
            guard case .array(let elements)? = event.value(at: "sensorElementList") else { continue }
            for element in elements {
                guard case .array(let reports)? = element.value(at: "sensorReport") else { continue }
                for report in reports where report.value(at: "exception") == nil {
                    if case .number(let low)? = report.value(at: "minValue"), case .number(let high)? = report.value(at: "maxValue"),
                        case .number(let mean)? = report.value(at: "meanValue")
                    {
                        stated.append((low, high, mean))
                    }
                }
            }
        }
        guard stated.count == expected.count else {
            fail("raw series", "the EPCIS document reports \(stated.count) series, the raw series holds \(expected.count)")
            return
        }
        for (index, (values, statistics)) in zip(stated, expected).enumerated()
        where values.0 != statistics.min || values.1 != statistics.max || values.2 != statistics.mean {
            let name = names[index].replacingOccurrences(of: "\u{0}", with: "/")
            let seqs = rows.filter { "\($0.reading.sensor)\u{0}\($0.reading.quantity)" == names[index] }.map(\.seq)
            fail(
                "raw series",
                "\(name) (readings seq \(seqs.first ?? 0)…\(seqs.last ?? 0)): the document says min/max/mean \(values.0)/\(values.1)/\(values.2), the readings give \(statistics.min)/\(statistics.max)/\(statistics.mean)"
            )
        }
    }

    /// Only the hash link from `bundle` to `previous` (cheap: one SHA-256 and the credential's
    /// JSON), for a platform that verified `bundle` on its own already.
    public func linkFailures(_ bundle: CertificateBundle, previous: CertificateBundle) -> [VerificationFailure] {
        var failures: [VerificationFailure] = []
        guard let credential = try? CompactJWS(compact: bundle.jws).payloadJSON() else {
            return [.init(batch: bundle.number, check: "signature", detail: "the credential cannot be read")]
        }
        checkChain(bundle, related: relatedResources(credential), previous: previous) { check, detail in
            failures.append(.init(batch: bundle.number, check: check, detail: detail))
        }
        return failures
    }

    private func checkChain(
        _ bundle: CertificateBundle, related: [(id: String, mediaType: String, digest: String)],
        previous: CertificateBundle?, fail: (String, String) -> Void
    ) {
        let link = related.first { $0.mediaType == "application/vc+jwt" }
        guard let previous else {
            if bundle.number != 1 { fail("chain", "starts at batch \(bundle.number), not 1: earlier certificates are missing") }
            if let link { fail("chain", "names a previous certificate \(link.id) that was not supplied") }
            return
        }
        if bundle.number != previous.number &+ 1 {
            fail("chain", "follows batch \(previous.number): batch \(previous.number &+ 1) is missing or the order is wrong")
        }
        guard let link else {
            fail("chain", "names no previous certificate, but follows batch \(previous.number)")
            return
        }
        let digest = DigestSRI.sha256(Array(previous.jws.utf8))
        if link.id != previous.certificateID || link.digest != digest {
            fail("chain", "names \(link.id) with digest \(link.digest), but batch \(previous.number) is \(previous.certificateID) with digest \(digest)")
        }
    }
}
