import Crypto
import Foundation
import SawahCore
import TestSupport
import Testing

@testable import SawahTraceability

/// Season and calibration records: EPCIS events that read back as what was stated, links the
/// verifier accepts in a chain, and every tampering named.
@Suite struct ChainRecordTests {
    static let records: [ChainRecord] = [
        .season(plot: "https://id.gs1.org/414/9506000000014", stage: .start, time: 1_796_000_000_000),
        .season(plot: "urn:plot:2", stage: .harvest, time: 1_796_000_000_123),
        .calibration(sensor: "pulp-1", deviceID: "urn:sawah:gw-test:sensor:pulp-1", iceReadingCelsius: -0.2, time: 1_796_000_000_000)
    ]

    @Test(arguments: records)
    func aRecordReadsBackAsStated(record: ChainRecord) throws {
        let event = record.event(timeZoneOffset: "+07:00", farm: "https://id.gs1.org/414/9506000000007")
        let epcis = Array(JSONText.serialize(EPCISDocumentBuilder.document(events: [event], creationDate: 1)).utf8)
        #expect(try ChainRecord.parse(epcis: epcis).get() == record)
        guard case .object(var members) = event, case .string(let id)? = members.removeValue(forKey: "eventID") else {
            Issue.record("no eventID")
            return
        }
        #expect(EventHash(context: nil).eventID(for: .object(members)) == id)
    }

    /// A chain of batch, season record, rotation, calibration record, batch: it verifies,
    /// and the rotation still hands the chain to the new key past the records.
    func mixedChain() throws -> (bundles: [CertificateBundle], old: GatewayIdentity, new: GatewayIdentity) {
        let old = GatewayIdentity(privateKey: .init())
        let new = GatewayIdentity(privateKey: .init())
        var bundles = [try SampleChain.next(number: 1, after: nil, key: old.privateKey)]
        func previous() -> PreviousCertificate { PreviousCertificate(id: bundles.last!.certificateID, jws: bundles.last!.jws) }
        bundles.append(
            try CertificateIssuer(identity: old).issueRecord(
                Self.records[0], gatewayID: "gw-test", number: 2, previous: previous(), issuerName: "Farm", timeZoneOffset: "+07:00", farm: nil,
                createdAt: 5))
        bundles.append(try CertificateIssuer(identity: old).issueRotation(gatewayID: "gw-test", number: 3, previous: previous(), to: new, createdAt: 6))
        bundles.append(
            try CertificateIssuer(identity: new).issueRecord(
                Self.records[2], gatewayID: "gw-test", number: 4, previous: previous(), issuerName: "Farm", timeZoneOffset: "+07:00", farm: nil,
                createdAt: 7))
        bundles.append(try SampleChain.next(number: 5, after: bundles.last, key: new.privateKey))
        return (bundles, old, new)
    }

    @Test func aChainWithRecordsAndARotationVerifies() throws {
        let (bundles, _, _) = try mixedChain()
        #expect(CertificateVerifier().verifyChain(bundles).isEmpty)
    }

    @Test func aRecordSignedByTheRetiredKeyAfterTheRotationIsRefused() throws {
        var (bundles, old, _) = try mixedChain()
        bundles[3] = try CertificateIssuer(identity: old).issueRecord(
            Self.records[2], gatewayID: "gw-test", number: 4, previous: PreviousCertificate(id: bundles[2].certificateID, jws: bundles[2].jws),
            issuerName: "Farm", timeZoneOffset: "+07:00", farm: nil, createdAt: 7)
        let failures = CertificateVerifier().verifyChain(bundles)
        #expect(failures.contains { $0.batch == 4 && $0.check == "issuer" }, "\(failures)")
    }

    @Test func aChangedCalibrationIsNamed() throws {
        var (bundles, _, _) = try mixedChain()
        let text = String(decoding: bundles[3].epcis, as: UTF8.self)
        bundles[3].epcis = Array(text.replacingOccurrences(of: "\"value\":-0.2", with: "\"value\":0.2").utf8)
        #expect(bundles[3].epcis != Array(text.utf8))
        let failures = CertificateVerifier().verifyChain(bundles)
        #expect(failures.contains { $0.batch == 4 && $0.check == "EPCIS document digest" }, "\(failures)")
    }

    @Test func aRecordCarryingReadingsIsNamed() throws {
        var (bundles, _, _) = try mixedChain()
        bundles[1].rawSeries = bundles[0].rawSeries
        let failures = CertificateVerifier().verifyChain(bundles)
        #expect(failures.map(\.description).contains { $0.hasPrefix("batch 2: chain record: carries") }, "\(failures)")
    }

    @Test(arguments: [
        (#"{"epcisBody":{"eventList":[]}}"#, "exactly one event"),
        (
            #"{"epcisBody":{"eventList":[{"eventTime":"2026-01-01T00:00:00Z","bizStep":"urn:sawah:bizstep:season-sowing","readPoint":{"id":"p"}}]}}"#,
            "unknown season stage"
        ),
        (#"{"epcisBody":{"eventList":[{"eventTime":"2026-01-01T00:00:00Z","bizStep":"urn:sawah:bizstep:season-start"}]}}"#, "names no plot"),
        (#"{"epcisBody":{"eventList":[{"eventTime":"yesterday","bizStep":"inspecting"}]}}"#, "no readable eventTime"),
        (#"{"epcisBody":{"eventList":[{"eventTime":"2026-01-01T00:00:00Z","bizStep":"inspecting"}]}}"#, "neither a season event nor"),
        ("not json", "exactly one event")
    ])
    func anUnreadableRecordIsExplained(document: String, expected: String) {
        guard case .failure(let error) = ChainRecord.parse(epcis: Array(document.utf8)) else {
            Issue.record("\(document) parsed")
            return
        }
        #expect(error.description.contains(expected), "\(error)")
    }
}
