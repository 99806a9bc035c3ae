import FoundationEssentials
import SawahCore

extension CertificateIssuer {
    /// The credential type of a derived copy.
    public static let derivedType = "SawahDerivedCredential"
    /// The media type of a disclosure profile's canonical text.
    static let profileMediaType = "text/plain"

    /// A derived credential for one platform: a UNTP DTE credential (typed also
    /// `SawahDerivedCredential`) over the derived EPCIS document and series, signed by the
    /// gateway, naming the original certificate (its id and the `digestSRI` of its JWS) and
    /// carrying the disclosure profile itself as a `data:` URI with its digest, so that a
    /// verifier given the original re-derives the same bytes. Not a link of the chain.
    /// nil when the profile removes nothing from this batch (the platform gets the original),
    /// unless `always`.
    public func issueDerived(from original: CertificateBundle, derivation: DisclosureDerivation, always: Bool = false) throws -> CertificateBundle? {
        guard let (epcis, series, seriesType) = try derivation.derive(original, always: always) else { return nil }
        let originalCredential = try CompactJWS(compact: original.jws).payloadJSON()
        let id = derivation.derivedID(of: original.certificateID)
        let event = try JSONValue.parse(epcis).value(at: "epcisBody.eventList").flatMap { if case .array(let events) = $0 { events.first } else { nil } }
        var subject: [String: JSONValue] = [
            "type": .array([.string("ObjectEvent"), .string("Event")]),
            "id": event?.value(at: "eventID") ?? .null,
            "processType": .string("Sensor reporting"),
            "eventTime": event?.value(at: "eventTime") ?? .null,
            "action": .string("observe"),
            "bizStep": .string("https://ref.gs1.org/cbv/BizStep-sensor_reporting")
        ]
        let originalSubject: JSONValue? =
            if case .array(let subjects)? = originalCredential.value(at: "credentialSubject") { subjects.first } else { nil }
        if let lots = originalSubject?.value(at: "epcList") { subject["epcList"] = lots }
        if derivation.profile.location != .none, let location = originalSubject?.value(at: "bizLocation") { subject["bizLocation"] = location }
        let profileText = Array(derivation.profile.canonicalText.utf8)
        var credential: [String: JSONValue] = [
            "@context": .array(Self.credentialContexts.map { .string($0) }),
            "type": .array([.string("DigitalTraceabilityEvent"), .string("VerifiableCredential"), .string(Self.derivedType)]),
            "id": .string(id),
            "issuer": .object([
                "type": .array([.string("CredentialIssuer")]), "id": .string(identity.did), "name": originalCredential.value(at: "issuer.name") ?? .null
            ]),
            "validFrom": originalCredential.value(at: "validFrom") ?? .null,
            "credentialSubject": .array([.object(subject)]),
            "relatedResource": .array([
                .object(["id": .string(id + ":epcis"), "mediaType": .string("application/ld+json"), "digestSRI": .string(DigestSRI.sha256(epcis))]),
                .object(["id": .string(id + ":series"), "mediaType": .string(seriesType), "digestSRI": .string(DigestSRI.sha256(series))]),
                .object([
                    "id": .string(original.certificateID), "mediaType": .string("application/vc+jwt"),
                    "digestSRI": .string(DigestSRI.sha256(Array(original.jws.utf8)))
                ]),
                .object([
                    "id": .string("data:text/plain;base64," + Data(profileText).base64EncodedString()), "mediaType": .string(Self.profileMediaType),
                    "digestSRI": .string(DigestSRI.sha256(profileText))
                ])
            ])
        ]
        if let terms = derivation.profile.terms {
            credential["termsOfUse"] = .array([.object(["type": .string("SawahDisclosureTerms"), "id": .string(terms)])])
        }
        return CertificateBundle(
            number: original.number, certificateID: id, jws: try identity.signCredential(.object(credential)), epcis: epcis, rawSeries: series)
    }
}
