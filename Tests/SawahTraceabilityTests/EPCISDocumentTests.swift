import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability

/// Documents Sawah emits validate against the GS1 EPCIS 2.0 JSON Schema in
/// ../shared/standards (checked with Python's jsonschema, a validator independent of ours).
@Suite struct EPCISDocumentTests {
    static func sampleObservation(alarm: Double? = nil) -> LotObservation {
        let temps = SensorStatistics([24.5, 26.25, 31.0, 29.5])!
        let humidity = SensorStatistics([80.5, 78.0, 92.25])!
        return LotObservation(
            lot: "https://id.gs1.org/01/09506000134352/10/RICE-2026-11",
            plot: "https://id.gs1.org/414/9506000000014",
            farm: "https://id.gs1.org/414/9506000000007",
            start: 1_796_000_000_000, end: 1_796_003_600_000, timeZoneOffset: "+07:00",
            devices: [
                DeviceObservation(
                    deviceID: "https://id.gs1.org/8004/9506000000123", rawData: "urn:sawah:gw1:batch:7:raw",
                    reports: [QuantityReport(measurementType: "Temperature", unit: "CEL", statistics: temps, alarmValue: alarm)]),
                DeviceObservation(
                    deviceID: "urn:sawah:gw1:sensor:station-air", rawData: nil,
                    reports: [QuantityReport(measurementType: "RelativeHumidity", unit: "P1", statistics: humidity)])
            ])
    }

    /// Runs the GS1 schema over `document`; returns the validator's complaint, or nil.
    static func schemaProblem(_ document: JSONValue, schema: String) throws -> String? {
        try JSONSchemaCheck.problem(document, schema: schema)
    }

    static let epcisSchema = ProjectPaths.standards + "/gs1-epcis/EPCIS-JSON-Schema.json"

    @Test func aBatchDocumentValidatesAgainstTheEPCISSchema() throws {
        let event = EPCISDocumentBuilder.event(for: Self.sampleObservation(alarm: 31.0))
        let document = EPCISDocumentBuilder.document(events: [event], creationDate: 1_796_003_700_000)
        #expect(try Self.schemaProblem(document, schema: Self.epcisSchema) == nil)
    }

    @Test func theValidatorRejectsABrokenDocument() throws {
        // The check above must be able to fail: a wrong action and a missing eventTime.
        guard case .object(var event) = EPCISDocumentBuilder.event(for: Self.sampleObservation()) else { return }
        event["action"] = .string("LOOK")
        event.removeValue(forKey: "eventTime")
        let document = EPCISDocumentBuilder.document(events: [.object(event)], creationDate: 1_796_003_700_000)
        let problem = try Self.schemaProblem(document, schema: Self.epcisSchema)
        #expect(problem != nil)
    }

    @Test func eventIDIsTheCanonicalHashOfTheEventWithoutIt() throws {
        let event = EPCISDocumentBuilder.event(for: Self.sampleObservation())
        guard case .object(var members) = event, case .string(let id)? = members["eventID"] else {
            Issue.record("no eventID")
            return
        }
        members.removeValue(forKey: "eventID")
        #expect(EventHash(context: nil).eventID(for: .object(members)) == id)
        // And it survives a round trip through the serialised text.
        let reparsed = try JSONValue.parse(Array(JSONText.serialize(event).utf8))
        #expect(EventHash(context: nil).eventID(for: reparsed) == id)
    }

    @Test func alarmsAreReportedAsAlarmConditions() {
        let text = JSONText.serialize(EPCISDocumentBuilder.event(for: Self.sampleObservation(alarm: 31.0)))
        #expect(text.contains(#""exception":"ALARM_CONDITION""#))
        #expect(text.contains(#""bizStep":"sensor_reporting""#))
        #expect(!JSONText.serialize(EPCISDocumentBuilder.event(for: Self.sampleObservation())).contains("ALARM_CONDITION"))
    }

    @Test func statisticsAreWelford() throws {
        let s = try #require(SensorStatistics([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(s.count == 8 && s.min == 2 && s.max == 9 && s.mean == 5)
        #expect(abs(s.sDev - 2.138089935299395) < 1e-12)
        #expect(SensorStatistics([Double]()) == nil)
        #expect(SensorStatistics([3.5])?.sDev == 0)
    }
}
