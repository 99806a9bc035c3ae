import SawahCore

extension CertificateIssuer {
    /// A record link: a UNTP Digital Traceability Event credential (typed also
    /// `SawahChainRecord`) over a one-event EPCIS document, with no readings, naming the
    /// previous certificate like every link. Signed with the gateway's current key.
    public func issueRecord(
        _ record: ChainRecord, gatewayID: String, number: Int64, previous: PreviousCertificate?, issuerName: String,
        timeZoneOffset: String, farm: String?, createdAt: Int64
    ) throws -> CertificateBundle {
        let event = record.event(timeZoneOffset: timeZoneOffset, farm: farm)
        let epcis = Array(JSONText.serialize(EPCISDocumentBuilder.document(events: [event], creationDate: createdAt)).utf8)
        let eventID = event.value(at: "eventID").flatMap { if case .string(let id) = $0 { id } else { nil } } ?? ""
        var subject: [String: JSONValue] = [
            "type": .array([.string("ObjectEvent"), .string("Event")]),
            "id": .string(eventID),
            "eventTime": .string(EPCISTimestamp.format(record.time)),
            "action": .string("observe")
        ]
        switch record {
        case .season(let plot, let stage, _):
            subject["processType"] = .string("Rice season: \(stage.rawValue)")
            subject["bizStep"] = .string(ChainRecord.seasonStepPrefix + stage.rawValue)
            subject["bizLocation"] = .string(plot)
        case .calibration(let sensor, let deviceID, let reading, _):
            subject["processType"] = .string("Probe calibration: ice slurry at 0 °C read \(reading) °C")
            subject["bizStep"] = .string("https://ref.gs1.org/cbv/BizStep-inspecting")
            subject["epcList"] = .array([.object(["type": .array([.string("Item")]), "id": .string(deviceID), "name": .string(sensor)])])
        }
        var related: [JSONValue] = [
            .object([
                "id": .string(Self.epcisID(gateway: gatewayID, number: number)), "mediaType": .string("application/ld+json"),
                "digestSRI": .string(DigestSRI.sha256(epcis))
            ])
        ]
        if let previous { related.append(Self.link(to: previous)) }
        let credential: JSONValue = .object([
            "@context": .array(Self.credentialContexts.map { .string($0) }),
            "type": .array([.string("DigitalTraceabilityEvent"), .string("VerifiableCredential"), .string(ChainRecord.credentialType)]),
            "id": .string(Self.certificateID(gateway: gatewayID, number: number)),
            "issuer": .object(["type": .array([.string("CredentialIssuer")]), "id": .string(identity.did), "name": .string(issuerName)]),
            "validFrom": .string(EPCISTimestamp.format(createdAt)),
            "credentialSubject": .array([.object(subject)]),
            "relatedResource": .array(related)
        ])
        return CertificateBundle(
            number: number, certificateID: Self.certificateID(gateway: gatewayID, number: number),
            jws: try identity.signCredential(credential), epcis: epcis, rawSeries: [])
    }
}
