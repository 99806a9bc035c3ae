import FoundationEssentials
import SawahCore

/// Seals a batch: EPCIS document, raw series and a UNTP Digital Traceability Event credential
/// that binds both by `digestSRI` and names the previous certificate's digest, signed as
/// `vc+jwt` (ES256) by the gateway's identity.
public struct CertificateIssuer: Sendable {
    public let identity: GatewayIdentity

    public init(identity: GatewayIdentity) {
        self.identity = identity
    }

    public static let credentialContexts = ["https://www.w3.org/ns/credentials/v2", "https://test.uncefact.org/vocabulary/untp/dte/0.6.1/"]

    public static func certificateID(gateway: String, number: Int64) -> String { "urn:sawah:\(gateway):certificate:\(number)" }
    static func epcisID(gateway: String, number: Int64) -> String { "urn:sawah:\(gateway):batch:\(number):epcis" }
    static func rawSeriesID(gateway: String, number: Int64) -> String { "urn:sawah:\(gateway):batch:\(number):raw-series" }

    public func issue(_ batch: BatchInput) throws -> CertificateBundle {
        let rawSeries = RawSeries.serialize(batch.rows)
        let observation = Self.observation(for: batch)
        let event = EPCISDocumentBuilder.event(for: observation)
        let epcis = Array(JSONText.serialize(EPCISDocumentBuilder.document(events: [event], creationDate: batch.createdAt)).utf8)
        let credential = Self.credential(
            batch: batch, event: event, observation: observation, issuer: identity.did,
            epcisDigest: DigestSRI.sha256(epcis), rawDigest: DigestSRI.sha256(rawSeries))
        let jws = try CompactJWS.sign(
            payload: Array(JSONText.serialize(credential).utf8),
            headerFields: ["typ": "vc+jwt", "cty": "vc", "kid": identity.verificationMethod],
            key: identity.privateKey, extraHeader: identity.keyHeader)
        return CertificateBundle(
            number: batch.number, certificateID: Self.certificateID(gateway: batch.gatewayID, number: batch.number),
            jws: jws.compact, epcis: epcis, rawSeries: rawSeries)
    }

    /// A key rotation: a link in the chain, signed by the current key, that names the key every
    /// later certificate is signed with. It carries no readings.
    public func issueRotation(
        gatewayID: String, number: Int64, previous: PreviousCertificate?, to successor: GatewayIdentity,
        createdAt: Int64
    ) throws -> CertificateBundle {
        let related = previous.map { [Self.link(to: $0)] } ?? []
        let credential: JSONValue = .object([
            "@context": .array([.string("https://www.w3.org/ns/credentials/v2")]),
            "type": .array([.string("VerifiableCredential"), .string(Self.rotationType)]),
            "id": .string(Self.certificateID(gateway: gatewayID, number: number)),
            "issuer": .object(["id": .string(identity.did)]),
            "validFrom": .string(EPCISTimestamp.format(createdAt)),
            "credentialSubject": .object(["id": .string(successor.did), "verificationMethod": .string(successor.verificationMethod)]),
            "relatedResource": .array(related)
        ])
        let jws = try CompactJWS.sign(
            payload: Array(JSONText.serialize(credential).utf8),
            headerFields: ["typ": "vc+jwt", "cty": "vc", "kid": identity.verificationMethod],
            key: identity.privateKey, extraHeader: identity.keyHeader)
        return CertificateBundle(
            number: number, certificateID: Self.certificateID(gateway: gatewayID, number: number), jws: jws.compact, epcis: [], rawSeries: [])
    }

    /// The `relatedResource` entry by which every link names the one before it: its id and the
    /// `digestSRI` of its JWS (the hash chain).
    static func link(to previous: PreviousCertificate) -> JSONValue {
        .object([
            "id": .string(previous.id), "mediaType": .string("application/vc+jwt"), "digestSRI": .string(DigestSRI.sha256(Array(previous.jws.utf8)))
        ])
    }

    /// The credential type of a key rotation link.
    public static let rotationType = "SawahKeyRotation"

    /// The verification method a rotation link hands signing to; nil when `jws` is not a
    /// readable rotation link.
    public static func successorKey(ofRotation jws: String) -> String? {
        guard let payload = try? CompactJWS(compact: jws).payloadJSON(),
            case .string(let method)? = payload.value(at: "credentialSubject.verificationMethod")
        else { return nil }
        return method
    }

    /// Interval statistics per sensor and quantity, and the worst alarm breach.
    static func observation(for batch: BatchInput) -> LotObservation {
        var bySensor: [String: [String: [Double]]] = [:]
        var units: [String: String] = [:]
        for row in batch.rows {
            bySensor[row.reading.sensor, default: [:]][row.reading.quantity, default: []].append(row.reading.value)
            units["\(row.reading.sensor)/\(row.reading.quantity)"] = row.reading.unit
        }
        var devices: [DeviceObservation] = []
        for sensorID in bySensor.keys.sorted() {
            let description = batch.sensors[sensorID]
            var reports: [QuantityReport] = []
            for quantity in bySensor[sensorID]!.keys.sorted() {
                let values = bySensor[sensorID]![quantity]!
                guard let statistics = SensorStatistics(values) else { continue }
                var alarm: Double?
                if let range = description?.alarms[quantity] {
                    let below = values.filter { $0 < range.lowerBound }.min()
                    let above = values.filter { $0 > range.upperBound }.max()
                    alarm = above ?? below
                }
                reports.append(
                    QuantityReport(
                        measurementType: description?.measurementTypes[quantity] ?? "Dimensionless",
                        unit: units["\(sensorID)/\(quantity)"] ?? "C62", statistics: statistics.rounded(places: 6), alarmValue: alarm))
            }
            devices.append(
                DeviceObservation(
                    deviceID: description?.deviceID ?? "urn:sawah:\(batch.gatewayID):sensor:\(sensorID)",
                    rawData: rawSeriesID(gateway: batch.gatewayID, number: batch.number), reports: reports))
        }
        return LotObservation(
            lot: batch.lot.id, plot: batch.lot.plot, farm: batch.lot.farm, start: batch.start, end: batch.end,
            timeZoneOffset: batch.lot.timeZoneOffset, devices: devices, coordinates: batch.lot.coordinates)
    }

    static func credential(
        batch: BatchInput, event: JSONValue, observation: LotObservation, issuer: String,
        epcisDigest: String, rawDigest: String
    ) -> JSONValue {
        let eventID = event.value(at: "eventID").flatMap { if case .string(let id) = $0 { id } else { nil } } ?? ""
        var subject: [String: JSONValue] = [
            "type": .array([.string("ObjectEvent"), .string("Event")]),
            "id": .string(eventID),
            "processType": .string("Sensor reporting"),
            "eventTime": .string(EPCISTimestamp.format(batch.end)),
            "action": .string("observe"),
            "bizStep": .string("https://ref.gs1.org/cbv/BizStep-sensor_reporting"),
            "epcList": .array([.object(["type": .array([.string("Item")]), "id": .string(batch.lot.id), "name": .string(batch.lot.name)])])
        ]
        if let farm = batch.lot.farm { subject["bizLocation"] = .string(farm) }
        subject["sensorElementList"] = .array(
            observation.devices.map { device in
                let name = batch.sensors.first { $0.value.deviceID == device.deviceID }?.value.name ?? device.deviceID
                return .object([
                    "type": .array([.string("SensorElement")]),
                    "sensorMetadata": .object([
                        "type": .array([.string("Sensor")]),
                        "device": .object(["type": .array([.string("Item")]), "id": .string(device.deviceID), "name": .string(name)])
                    ]),
                    "sensorReport": .array(
                        device.reports.map { report in
                            .object([
                                "type": .array([.string("SensorData")]), "time": .string(EPCISTimestamp.format(batch.end)),
                                "sensorType": .string(EventHashRule.gs1Vocabulary + report.measurementType),
                                "value": .number(report.statistics.mean), "uom": .string(report.unit)
                            ])
                        })
                ])
            })
        var related: [JSONValue] = [
            .object([
                "id": .string(epcisID(gateway: batch.gatewayID, number: batch.number)), "mediaType": .string("application/ld+json"),
                "digestSRI": .string(epcisDigest)
            ]),
            .object([
                "id": .string(rawSeriesID(gateway: batch.gatewayID, number: batch.number)), "mediaType": .string(RawSeries.mediaType),
                "digestSRI": .string(rawDigest)
            ])
        ]
        if let previous = batch.previous { related.append(link(to: previous)) }
        return .object([
            "@context": .array(credentialContexts.map { .string($0) }),
            "type": .array([.string("DigitalTraceabilityEvent"), .string("VerifiableCredential")]),
            "id": .string(certificateID(gateway: batch.gatewayID, number: batch.number)),
            "issuer": .object(["type": .array([.string("CredentialIssuer")]), "id": .string(issuer), "name": .string(batch.issuerName)]),
            "validFrom": .string(EPCISTimestamp.format(batch.createdAt)),
            "credentialSubject": .array([.object(subject)]),
            "relatedResource": .array(related)
        ])
    }
}
