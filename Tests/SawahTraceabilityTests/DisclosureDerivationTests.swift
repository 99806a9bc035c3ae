import Crypto
import Foundation
import SawahCore
import TestSupport
import Testing

@testable import SawahTraceability

/// Derived copies under disclosure profiles: what leaves, what does not, and the verifier that
/// re-derives them from the original.
@Suite struct DisclosureDerivationTests {
    static let identity = GatewayIdentity(privateKey: .init())
    static let secret = Array("a gateway's pseudonym secret, 32b".utf8)
    static let plot = (latitude: 10.762622, longitude: 106.660172)

    /// One batch of two sensors: a probe with two quantities, and an air sensor whose
    /// temperature breaches its alarm range; the plot's exact coordinates.
    static func original() throws -> CertificateBundle {
        let base: Int64 = 1_796_004_000_000  // on the hour
        var rows: [RawSeries.Row] = []
        for index in 0..<12 {
            let time = base + Int64(index) * 600_000
            rows.append(
                .init(
                    seq: Int64(rows.count + 1),
                    reading: Reading(
                        sensor: "plot1-probe", quantity: "soil_temperature", value: 24 + Double(index) / 4, unit: "CEL", observedAt: time, receivedAt: time,
                        source: "farm/probe")))
            rows.append(
                .init(
                    seq: Int64(rows.count + 1),
                    reading: Reading(
                        sensor: "plot1-probe", quantity: "soil_moisture", value: 31 + Double(index % 3), unit: "P1", observedAt: time, receivedAt: time,
                        source: "farm/probe")))
            rows.append(
                .init(
                    seq: Int64(rows.count + 1),
                    reading: Reading(
                        sensor: "station-air", quantity: "air_temperature", value: 33 + Double(index), unit: "CEL", observedAt: time, receivedAt: time,
                        source: "farm/air")))
        }
        let lot = LotDescription(
            id: "https://id.gs1.org/01/09506000134352/10/RICE-1", name: "Rice", plot: "https://id.gs1.org/414/9506000000014",
            farm: "https://id.gs1.org/414/9506000000007", timeZoneOffset: "+07:00", coordinates: plot)
        let sensors = [
            "plot1-probe": SensorDescription(
                deviceID: "urn:sawah:gw:sensor:plot1-probe", name: "probe",
                measurementTypes: ["soil_temperature": "Temperature", "soil_moisture": "VolumeFraction"]),
            "station-air": SensorDescription(
                deviceID: "https://id.gs1.org/8004/0614141AIR1", name: "air", measurementTypes: ["air_temperature": "Temperature"],
                alarms: ["air_temperature": 0...38])
        ]
        return try CertificateIssuer(identity: identity).issue(
            BatchInput(
                gatewayID: "gw", number: 7, lot: lot, sensors: sensors, rows: rows, start: base, end: base + 11 * 600_000, createdAt: base + 7_200_000,
                previous: nil, issuerName: "Farm"))
    }

    /// One original for the whole suite: ES256 signatures are randomised, so each issue is
    /// another certificate.
    static let sealed = Result { try original() }

    func derived(_ configure: (inout DisclosureProfile) -> Void, platform: String = "buyer") throws -> CertificateBundle {
        var profile = DisclosureProfile()
        configure(&profile)
        return try #require(
            try CertificateIssuer(identity: Self.identity).issueDerived(
                from: try Self.sealed.get(), derivation: DisclosureDerivation(profile: profile, platform: platform, gatewaySecret: Self.secret)))
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func aCoarseProfileLetsNoExactCoordinateOutAnywhere() throws {
        for location: DisclosureProfile.Location in [.geohash(precision: 5), .grid(degrees: 0.1), .facilityOnly, .none] {
            let copy = try derived { $0.location = location }
            let everything = copy.jws + text(copy.epcis) + text(copy.rawSeries) + text(Base64URL.decode(copy.jws.split(separator: ".")[1])!)
            #expect(!everything.contains("10.762622") && !everything.contains("106.660172"), "\(location)")
            #expect(CertificateVerifier().verify(copy, previous: nil).0.isEmpty, "\(location) verifies on its own")
        }
        let exact = try derived {
            $0.location = .exact
            $0.quantities = ["air_temperature"]
        }
        #expect(text(exact.epcis).contains("10.762622"))
        let none = try derived { $0.location = .none }
        #expect(!text(none.epcis).contains("9506000000014") && !text(none.epcis).contains("readPoint"), "no plot, no farm")
        let facility = try derived { $0.location = .facilityOnly }
        #expect(text(facility.epcis).contains("https://id.gs1.org/414/9506000000014") && !text(facility.epcis).contains("Angle"))
    }

    @Test func aGeohashProfileReportsTheCellsCentre() throws {
        let copy = try derived { $0.location = .geohash(precision: 5) }
        let centre = Geohash.centre(latitude: Self.plot.latitude, longitude: Self.plot.longitude, precision: 5)
        #expect(text(copy.epcis).contains("\(HashNumberFormat.format(centre.latitude))"), "\(text(copy.epcis))")
    }

    @Test func onlyTheAllowedQuantitiesLeaveWithTheirAlarms() throws {
        let copy = try derived { $0.quantities = ["air_temperature"] }
        #expect(!text(copy.rawSeries).contains("soil_") && text(copy.rawSeries).contains("air_temperature"))
        #expect(!text(copy.epcis).contains("VolumeFraction") && !text(copy.epcis).contains("plot1-probe"))
        #expect(text(copy.epcis).contains("ALARM_CONDITION"), "the air sensor's alarm stays with its quantity")
    }

    @Test func aggregatesAreWhatTheRawSeriesGives() throws {
        let copy = try derived { $0.series = .aggregate(seconds: 3_600) }
        let lines = text(copy.rawSeries).split(separator: "\n").map(String.init)
        #expect(lines[0] == "sawah-aggregate-series/1" && lines.count == 2 + 3 * 2, "3 sensor quantities over 2 hours")
        // Recomputed by hand from the original rows: the probe's temperature in hour 0 is 24 + i/4 for i in 0…5.
        let firstHour = (0..<6).map { 24 + Double($0) / 4 }
        let line = try #require(lines.first { $0.hasPrefix("plot1-probe,soil_temperature,CEL,2026-") })
        let fields = line.split(separator: ",")
        #expect(fields[5] == "6" && Double(fields[6]) == firstHour.min() && Double(fields[7]) == firstHour.max())
        #expect(Double(fields[8]) == firstHour.reduce(0, +) / 6)
    }

    @Test func pseudonymsAreStablePerPlatformAndDifferAcrossPlatforms() throws {
        let buyer = try derived({ $0.pseudonymousDevices = true }, platform: "buyer")
        let again = try derived({ $0.pseudonymousDevices = true }, platform: "buyer")
        let regulator = try derived({ $0.pseudonymousDevices = true }, platform: "regulator")
        #expect(buyer.rawSeries == again.rawSeries && buyer.epcis == again.epcis)
        #expect(buyer.rawSeries != regulator.rawSeries)
        for copy in [buyer, regulator] {
            #expect(!text(copy.rawSeries).contains("plot1-probe") && !text(copy.epcis).contains("AIR1") && !text(copy.epcis).contains("sensor:plot1"))
        }
    }

    @Test func theDerivationIsRecomputedFromTheOriginal() throws {
        let original = try Self.sealed.get()
        let copy = try derived {
            $0.location = .grid(degrees: 0.1)
            $0.series = .aggregate(seconds: 1_800)
            $0.quantities = ["soil_temperature", "air_temperature"]
            $0.terms = "https://example.org/terms/buyer"
        }
        let verifier = CertificateVerifier()
        #expect(verifier.verifyDerivation(copy, original: original).failures.isEmpty)
        let credential = try CompactJWS(compact: copy.jws).payloadJSON()
        #expect(credential.value(at: "termsOfUse") != nil)

        // An aggregate changed (and re-signed by whoever holds the key): named.
        var tampered = copy
        tampered.rawSeries = Array(text(copy.rawSeries).replacingOccurrences(of: ",3,", with: ",4,").utf8)
        #expect(tampered.rawSeries != copy.rawSeries)
        let failures = verifier.verifyDerivation(tampered, original: original).failures
        #expect(failures.count == 1 && failures[0].detail.contains("the series is not the original's"), "\(failures)")

        // A coordinate moved into another cell.
        var moved = copy
        moved.epcis = Array(text(copy.epcis).replacingOccurrences(of: "10.75", with: "10.85").utf8)
        #expect(moved.epcis != copy.epcis)
        let movedFailures = verifier.verifyDerivation(moved, original: original).failures
        #expect(movedFailures.contains { $0.detail.contains("the EPCIS document is not the original's") && $0.detail.contains("10.85") }, "\(movedFailures)")
        #expect(verifier.verify(moved, previous: nil).0.contains { $0.check == "EPCIS document digest" })

        // Another original.
        var other = original
        other.jws = try SampleChain.bundles(1).first!.jws
        #expect(verifier.verifyDerivation(copy, original: other).failures.first?.detail.contains("names") == true)
    }

    @Test func pseudonymsAreCheckedOnlyWithThePlatformsKey() throws {
        let original = try Self.sealed.get()
        let copy = try derived({ $0.pseudonymousDevices = true }, platform: "buyer")
        let verifier = CertificateVerifier()
        let withoutKey = verifier.verifyDerivation(copy, original: original)
        #expect(withoutKey.failures.isEmpty && withoutKey.unchecked?.contains("give that platform's key") == true)
        let key = DisclosureDerivation.platformKey(gatewaySecret: Self.secret, platform: "buyer")
        let withKey = verifier.verifyDerivation(copy, original: original, platformKey: key)
        #expect(withKey.failures.isEmpty && withKey.unchecked == nil)
        let wrongKey = DisclosureDerivation.platformKey(gatewaySecret: Self.secret, platform: "regulator")
        #expect(!verifier.verifyDerivation(copy, original: original, platformKey: wrongKey).failures.isEmpty)
    }

    /// Every kind of derived copy is still a GS1 EPCIS document and a UNTP DTE credential, as
    /// Python's jsonschema (independent of our code) reads the published schemas.
    @Test func derivedCopiesValidateAgainstTheEPCISAndDTESchemas() throws {
        let copy = try derived {
            $0.location = .geohash(precision: 6)
            $0.series = .aggregate(seconds: 3_600)
            $0.pseudonymousDevices = true
            $0.terms = "https://example.org/terms"
        }
        let epcisProblem = try JSONSchemaCheck.problem(try JSONValue.parse(copy.epcis), schema: EPCISDocumentTests.epcisSchema)
        #expect(epcisProblem == nil, "\(epcisProblem ?? "")")
        let credential = try CompactJWS(compact: copy.jws).payloadJSON()
        let dteProblem = try JSONSchemaCheck.problem(credential, schema: ProjectPaths.standards + "/untp/dte/untp-dte-schema.json")
        #expect(dteProblem == nil, "\(dteProblem ?? "")")
    }

    /// A profile that removes nothing from a batch sends the original: no copy is made.
    @Test func aProfileThatRemovesNothingMakesNoCopy() throws {
        var profile = DisclosureProfile()
        profile.location = .exact
        let issuer = CertificateIssuer(identity: Self.identity)
        #expect(try issuer.issueDerived(from: try Self.sealed.get(), derivation: .init(profile: profile, platform: "p", gatewaySecret: Self.secret)) == nil)
        // The default keeps the GLN and drops coordinates: a batch without coordinates is unchanged.
        let plain = try SampleChain.bundles(1).first!
        #expect(try issuer.issueDerived(from: plain, derivation: .init(profile: DisclosureProfile(), platform: "p", gatewaySecret: Self.secret)) == nil)
        profile.terms = "https://example.org/terms"
        #expect(
            try issuer.issueDerived(from: plain, derivation: .init(profile: profile, platform: "p", gatewaySecret: Self.secret)) != nil,
            "terms need a credential to carry them")
    }

    /// A location-only profile sends the sealed series bytes unchanged, and the copy still
    /// re-derives from its original.
    @Test func aLocationOnlyCopyKeepsTheSealedSeries() throws {
        let original = try Self.sealed.get()
        let copy = try derived { $0.location = .grid(degrees: 0.5) }
        #expect(copy.rawSeries == original.rawSeries)
        #expect(CertificateVerifier().verifyDerivation(copy, original: original).failures.isEmpty)
    }
}
