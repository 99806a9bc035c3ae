import Crypto
import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability

/// Issue a chain of certificates, then break it every way the issue lists; each break must be
/// caught and named.
@Suite struct CertificateChainTests {
    static let lot = LotDescription(
        id: "https://id.gs1.org/01/09506000134352/10/RICE-2026-11", name: "Rice, lot RICE-2026-11",
        plot: "https://id.gs1.org/414/9506000000014", farm: "https://id.gs1.org/414/9506000000007", timeZoneOffset: "+07:00",
        coordinates: (6.1235, 100.3673))
    static let sensors: [String: SensorDescription] = [
        "plot1-soil-temp": SensorDescription(
            deviceID: "urn:sawah:gw1:sensor:plot1-soil-temp", name: "DS18B20 soil probe, plot 1",
            measurementTypes: ["soil_temperature": "Temperature"], alarms: ["soil_temperature": 10...35]),
        "station-air": SensorDescription(
            deviceID: "https://id.gs1.org/8004/9506000000123", name: "BME280 weather station",
            measurementTypes: ["air_temperature": "Temperature", "relative_humidity": "RelativeHumidity"])
    ]

    static func rows(batch: Int64) -> [RawSeries.Row] {
        let base: Int64 = 1_796_000_000_000 + batch * 3_600_000
        var rows: [RawSeries.Row] = []
        for index in 0..<12 {
            let seq = (batch - 1) * 36 + Int64(index * 3) + 1
            let time = base + Int64(index) * 300_000
            rows.append(
                .init(
                    seq: seq,
                    reading: Reading(
                        sensor: "plot1-soil-temp", quantity: "soil_temperature", value: 26.0 + Double(index) * 0.125 + (index == 7 ? 10 : 0), unit: "CEL",
                        observedAt: time, receivedAt: time + 40, source: "farm/plot1", quality: [])))
            rows.append(
                .init(
                    seq: seq + 1,
                    reading: Reading(
                        sensor: "station-air", quantity: "air_temperature", value: 29.5 - Double(index) * 0.1, unit: "CEL", observedAt: time,
                        receivedAt: time + 40, source: "farm/station", quality: [])))
            rows.append(
                .init(
                    seq: seq + 2,
                    reading: Reading(
                        sensor: "station-air", quantity: "relative_humidity", value: 78 + Double(index % 5), unit: "P1", observedAt: time,
                        receivedAt: time + 40, source: "farm/station", quality: [.receiveTime])))
        }
        return rows
    }

    static func chain(count: Int, key: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) throws -> [CertificateBundle] {
        let issuer = CertificateIssuer(identity: GatewayIdentity(privateKey: key))
        var bundles: [CertificateBundle] = []
        for number in 1...Int64(count) {
            bundles.append(try issuer.issue(input(number: number, previous: bundles.last)))
        }
        return bundles
    }

    static func input(number: Int64, previous: CertificateBundle?) -> BatchInput {
        let rows = Self.rows(batch: number)
        return BatchInput(
            gatewayID: "gw1", number: number, lot: lot, sensors: sensors, rows: rows,
            start: rows.first!.reading.observedAt, end: rows.last!.reading.observedAt,
            createdAt: rows.last!.reading.receivedAt + 1_000,
            previous: previous.map { PreviousCertificate(id: $0.certificateID, jws: $0.jws) }, issuerName: "Sawah demo farm")
    }

    @Test func anIntactChainVerifies() throws {
        let bundles = try Self.chain(count: 4)
        #expect(CertificateVerifier().verifyChain(bundles) == [])
    }

    @Test func theCredentialValidatesAgainstTheUNTPSchemaAndTheDocumentAgainstEPCIS() throws {
        let bundle = try Self.chain(count: 2)[1]
        let credential = try CompactJWS(compact: bundle.jws).payloadJSON()
        #expect(try EPCISDocumentTests.schemaProblem(credential, schema: ProjectPaths.standards + "/untp/dte/untp-dte-schema.json") == nil)
        #expect(try EPCISDocumentTests.schemaProblem(try JSONValue.parse(bundle.epcis), schema: EPCISDocumentTests.epcisSchema) == nil)
        let text = String(decoding: bundle.epcis, as: UTF8.self)
        #expect(text.contains("ALARM_CONDITION"), "reading 7 is 10 °C over the 35 °C alarm")
        #expect(text.contains(#""component":"latitude""#) && text.contains(#""value":100.3673"#), "the plot's position")
    }

    static func failures(_ bundles: [CertificateBundle]) -> [String] {
        CertificateVerifier().verifyChain(bundles).map(\.description)
    }

    @Test func aChangedReadingIsCaught() throws {
        var bundles = try Self.chain(count: 3)
        var text = String(decoding: bundles[1].rawSeries, as: UTF8.self)
        text = text.replacingOccurrences(of: ",29.5,CEL,", with: ",28.5,CEL,")
        bundles[1].rawSeries = Array(text.utf8)
        let found = Self.failures(bundles)
        #expect(found.contains { $0.hasPrefix("batch 2: raw series digest:") })
        #expect(found.contains { $0.hasPrefix("batch 2: raw series: station-air/air_temperature (readings seq 38…71)") })
    }

    @Test func aChangedEventIsCaught() throws {
        var bundles = try Self.chain(count: 2)
        let text = String(decoding: bundles[0].epcis, as: UTF8.self).replacingOccurrences(of: #""action":"OBSERVE""#, with: #""action":"ADD""#)
        bundles[0].epcis = Array(text.utf8)
        let found = Self.failures(bundles)
        #expect(found.contains { $0.hasPrefix("batch 1: EPCIS document digest:") })
        #expect(found.contains { $0.hasPrefix("batch 1: event hash: event 0: eventID") })
    }

    @Test func aDeletedBatchIsCaught() throws {
        var bundles = try Self.chain(count: 4)
        bundles.remove(at: 1)
        #expect(Self.failures(bundles).contains { $0.hasPrefix("batch 3: chain: follows batch 1: batch 2 is missing") })
    }

    @Test func twoReorderedBatchesAreCaught() throws {
        var bundles = try Self.chain(count: 4)
        bundles.swapAt(1, 2)
        let found = Self.failures(bundles)
        #expect(found.contains { $0.hasPrefix("batch 3: chain:") })
        #expect(found.contains { $0.hasPrefix("batch 2: chain:") })
    }

    @Test func aSwappedKeyIsCaught() throws {
        var bundles = try Self.chain(count: 3)
        let intruder = CertificateIssuer(identity: GatewayIdentity(privateKey: P256.Signing.PrivateKey()))
        bundles[1] = try intruder.issue(Self.input(number: 2, previous: bundles[0]))
        let found = Self.failures(bundles)
        #expect(found.contains { $0.hasPrefix("batch 2: issuer: signed by did:key:") })
        #expect(found.contains { $0.hasPrefix("batch 3: chain: names urn:sawah:gw1:certificate:2 with digest") })
    }

    @Test func oneAlteredByteOfAJWSIsCaught() throws {
        var bundles = try Self.chain(count: 2)
        var characters = Array(bundles[1].jws)
        let position = characters.count - 10
        characters[position] = characters[position] == "A" ? "B" : "A"
        bundles[1].jws = String(characters)
        #expect(Self.failures(bundles).contains { $0.hasPrefix("batch 2: signature: the ES256 signature does not match") })
    }

    @Test func aReplayedOldCertificateIsCaught() throws {
        var bundles = try Self.chain(count: 3)
        var replay = bundles[0]
        replay.number = 4
        replay.certificateID = CertificateIssuer.certificateID(gateway: "gw1", number: 4)
        bundles.append(replay)
        let found = Self.failures(bundles)
        #expect(found.contains { $0.hasPrefix("batch 4: credential: id is urn:sawah:gw1:certificate:1") })
        #expect(found.contains { $0.hasPrefix("batch 4: chain: names no previous certificate") })
    }

    @Test func aMissingFirstCertificateIsCaught() throws {
        let bundles = try Self.chain(count: 3)
        #expect(Self.failures(Array(bundles.dropFirst())).contains { $0.hasPrefix("batch 2: chain: starts at batch 2") })
        #expect(CertificateVerifier().verifyChain(Array(bundles.dropFirst()), anchor: bundles[0]) == [])
    }

    @Test func rawSeriesRoundTrips() throws {
        let rows = Self.rows(batch: 1)
        let parsed = try RawSeries.parse(RawSeries.serialize(rows)).get()
        #expect(parsed.map(\.seq) == rows.map(\.seq))
        #expect(parsed.map(\.reading.value) == rows.map(\.reading.value))
        #expect(parsed.map(\.reading.observedAt) == rows.map(\.reading.observedAt))
        #expect(RawSeries.parse(Array("nonsense".utf8)) == .failure(RawSeriesError(line: 1, problem: "not a sawah-raw-series/1 file")))
    }
}
