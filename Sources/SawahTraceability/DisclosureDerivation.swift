import Crypto
import FoundationEssentials
import SawahCore

/// Derives, from a signed original certificate, the copy one platform may have under its
/// disclosure profile (DESIGN.md invariants 8 and 10): the EPCIS event with the plot's location
/// coarsened or removed, only the allowed quantities, device ids replaced by per-platform
/// pseudonyms; the raw series filtered alike, or its interval aggregates. The result is
/// deterministic: given the original and the profile (carried in the derived credential), a
/// verifier rebuilds the same bytes; only the pseudonyms need the gateway's secret.
public struct DisclosureDerivation: Sendable {
    public let profile: DisclosureProfile
    public let platform: String
    /// A device or sensor id's pseudonym on this platform; nil when ids are kept.
    let pseudonym: (@Sendable (String) -> String)?

    /// For the gateway: the platform's pseudonym key comes from the gateway's secret.
    public init(profile: DisclosureProfile, platform: String, gatewaySecret: [UInt8]) {
        self.init(profile: profile, platform: platform, platformKey: Self.platformKey(gatewaySecret: gatewaySecret, platform: platform))
    }

    /// For a verifier: `platformKey` is what `sawah disclosures key --platform` gives an
    /// auditor of that one platform; without it pseudonyms cannot be recomputed.
    public init(profile: DisclosureProfile, platform: String, platformKey: [UInt8]?) {
        self.profile = profile
        self.platform = platform
        pseudonym = profile.pseudonymousDevices ? platformKey.map(Self.pseudonymiser(platformKey:)) : nil
    }

    /// The key of one platform's pseudonyms: HMAC-SHA-256 of the platform id under the
    /// gateway's secret. Given to an auditor, it opens that platform's pseudonyms and no other's.
    public static func platformKey(gatewaySecret: [UInt8], platform: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("sawah pseudonyms\n\(platform)".utf8), using: SymmetricKey(data: gatewaySecret)))
    }

    /// An id's pseudonym: the first 12 bytes of its HMAC-SHA-256 under the platform's key —
    /// stable per platform, different across platforms, not reversible without the key.
    /// Shaped as an identifier (`p` and 24 hex digits) so it fits where a sensor id goes.
    static func pseudonymiser(platformKey: [UInt8]) -> @Sendable (String) -> String {
        { id in
            let code = HMAC<SHA256>.authenticationCode(for: Array(id.utf8), using: SymmetricKey(data: platformKey))
            return "p" + code.prefix(12).map { String($0, radix: 16).leftPadded(2) }.joined()
        }
    }

    /// Whether ids are replaced but the key to recompute them is missing (a verifier without it).
    public var pseudonymsUnknown: Bool { profile.pseudonymousDevices && pseudonym == nil }

    /// The derived certificate id: the original's, for this platform.
    public func derivedID(of original: String) -> String { "\(original):for:\(platform)" }

    /// The platform a derived id (`…:for:<platform>`) names, or nil.
    public static func platform(ofDerived id: String) -> String? {
        let marker = Array(":for:".utf8)
        let bytes = Array(id.utf8)
        guard bytes.count > marker.count else { return nil }
        for start in stride(from: bytes.count - marker.count, through: 0, by: -1) where Array(bytes[start..<(start + marker.count)]) == marker {
            let platform = String(decoding: bytes[(start + marker.count)...], as: UTF8.self)
            return platform.isEmpty ? nil : platform
        }
        return nil
    }

    /// Whether `lot` may reach this platform at all.
    public func discloses(lot: String) -> Bool { profile.lots?.contains(lot) ?? true }

    /// The derived EPCIS document and series of `original`, or nil when the profile removes
    /// nothing from this batch (the platform then gets the original itself); the error names
    /// what in the original does not have the shape Sawah seals.
    ///
    /// `eventOnly` (for an EPCIS platform, which gets the event alone) skips the series; the
    /// original's raw series is then needed only when the profile picks quantities.
    public func derive(_ original: CertificateBundle, always: Bool = false, eventOnly: Bool = false) throws(DerivationError) -> (
        epcis: [UInt8], series: [UInt8], seriesMediaType: String
    )? {
        // A profile that keeps every reading as it is (location only, or terms) sends the sealed
        // series bytes: no need to read them back, the uplink's common case.
        let seriesAsSealed = profile.series == .raw && profile.quantities == nil && pseudonym == nil
        var rows: [RawSeries.Row] = []
        if !(eventOnly && profile.quantities == nil) && !seriesAsSealed {
            switch RawSeries.parse(original.rawSeries) {
            case .success(let parsed): rows = parsed
            case .failure(let error): throw DerivationError("the original's raw series: \(error)")
            }
        }
        let allowed = { (quantity: String) in profile.quantities?.contains(quantity) ?? true }
        var kept = rows.filter { allowed($0.reading.quantity) }
        if let pseudonym {
            // One HMAC per sensor, not per reading: a batch holds thousands of readings of a few.
            var names: [String: String] = [:]
            for index in kept.indices {
                let sensor = kept[index].reading.sensor
                let name = names[sensor] ?? pseudonym(sensor)
                names[sensor] = name
                kept[index].reading.sensor = name
            }
        }
        var series: [UInt8] = []
        switch profile.series {
        case _ where eventOnly: break
        case _ where seriesAsSealed: series = original.rawSeries
        case .raw: series = RawSeries.serialize(kept)
        case .aggregate(let seconds): series = AggregateSeries.serialize(kept, seconds: seconds)
        }
        guard let document = try? JSONValue.parse(original.epcis), case .array(let events)? = document.value(at: "epcisBody.eventList"),
            events.count == 1, case .object(var event) = events[0],
            case .string(let created)? = document.value(at: "creationDate"), let creation = EPCISTimestamp.milliseconds(created)
        else { throw DerivationError("the original's EPCIS document does not hold one readable event") }
        event.removeValue(forKey: "eventID")
        let unchanged = event
        func transform(renamingRawData: Bool) throws(DerivationError) -> [String: JSONValue] {
            var changed = unchanged
            changed["sensorElementList"] = .array(
                try elements(unchanged["sensorElementList"], rows: rows, allowed: allowed, seriesID: renamingRawData ? original.certificateID : nil))
            if profile.location == .none {
                changed.removeValue(forKey: "readPoint")
                changed.removeValue(forKey: "bizLocation")
            }
            if unchanged["sensorElementList"] == nil { changed.removeValue(forKey: "sensorElementList") }
            return changed
        }
        let sameSeries = eventOnly || series == original.rawSeries
        if !always, eventOnly || profile.terms == nil, sameSeries, try transform(renamingRawData: false) == unchanged { return nil }
        // An EPCIS platform gets no series: its event keeps naming the original raw series.
        event = try transform(renamingRawData: !eventOnly)
        event["eventID"] = .string(EventHash(context: nil).eventID(for: .object(event)))
        let epcis = Array(JSONText.serialize(EPCISDocumentBuilder.document(events: [.object(event)], creationDate: creation)).utf8)
        return (epcis, series, profile.series == .raw ? RawSeries.mediaType : AggregateSeries.mediaType)
    }

    /// The sensor elements as the profile allows them. Sawah's builder writes one element per
    /// sensor in sensor-id order, each with a statistics report per quantity in name order
    /// (each followed by its alarm report, if any), then the location element: that order is
    /// how a report is known to be a quantity's.
    private func elements(_ value: JSONValue?, rows: [RawSeries.Row], allowed: (String) -> Bool, seriesID: String?) throws(DerivationError)
        -> [JSONValue]
    {
        guard case .array(let elements)? = value else { return [] }
        var quantities: [String: Set<String>] = [:]
        for row in rows { quantities[row.reading.sensor, default: []].insert(row.reading.quantity) }
        let sensors = quantities.keys.sorted()
        var result: [JSONValue] = []
        var deviceIndex = 0
        for element in elements {
            guard case .object(var members) = element, case .array(let reports)? = members["sensorReport"] else { continue }
            guard case .object(var metadata)? = members["sensorMetadata"] else {
                if let location = location(reports) { result.append(.object(["sensorReport": .array(location)])) }
                continue
            }
            var keptReports = reports
            if profile.quantities != nil {
                guard deviceIndex < sensors.count else { throw DerivationError("more sensor elements than sensors in the raw series") }
                let names = quantities[sensors[deviceIndex]]!.sorted()
                deviceIndex += 1
                var groups: [[JSONValue]] = []
                for report in reports {
                    if report.value(at: "exception") == nil || groups.isEmpty { groups.append([report]) } else { groups[groups.count - 1].append(report) }
                }
                guard groups.count == names.count else {
                    throw DerivationError("sensor element \(deviceIndex) has \(groups.count) quantity reports, the raw series \(names.count)")
                }
                keptReports = zip(names, groups).filter { allowed($0.0) }.flatMap(\.1)
            }
            if keptReports.isEmpty { continue }
            if let pseudonym, case .string(let device)? = metadata["deviceID"] { metadata["deviceID"] = .string("urn:sawah:pseudonym:" + pseudonym(device)) }
            if let seriesID, metadata["rawData"] != nil { metadata["rawData"] = .string(derivedID(of: seriesID) + ":series") }
            members["sensorMetadata"] = .object(metadata)
            members["sensorReport"] = .array(keptReports)
            result.append(.object(members))
        }
        return result
    }

    /// The location reports as the profile lets them out, or nil for none.
    private func location(_ reports: [JSONValue]) -> [JSONValue]? {
        guard profile.location != .exact else { return reports }
        guard case .number(let latitude)? = reports.first(where: { $0.value(at: "component") == .string("latitude") })?.value(at: "value"),
            case .number(let longitude)? = reports.first(where: { $0.value(at: "component") == .string("longitude") })?.value(at: "value"),
            let disclosed = profile.disclosed(latitude: latitude, longitude: longitude)
        else { return nil }
        return reports.map { report in
            guard case .object(var members) = report else { return report }
            let component = report.value(at: "component")
            if component == .string("latitude") { members["value"] = .number(disclosed.latitude) }
            if component == .string("longitude") { members["value"] = .number(disclosed.longitude) }
            return .object(members)
        }
    }
}

/// Why an original cannot be derived from.
public struct DerivationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
