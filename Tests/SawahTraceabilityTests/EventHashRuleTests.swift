import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability

/// Cases of our own, derived from the algorithm's rules.
@Suite struct EventHashRuleTests {
    static let numbers: [Double] = [
        0, -0.0, 1, -1, 26, 12.1, 21.5, -3.25, 0.1 + 0.2, 1.0 / 3.0, -273.15, 23.319941, 42.698334,
        0.0001, 0.00012, 0.00001, 1.5e-7, -2.5e-12, 5e-324, 123456.789012345, 9_007_199_254_740_993,
        1e15, 1e16, 1.5e20, -9.87654321e22, 1.7976931348623157e308, 100, 1e-4 * 3
    ]

    /// Python's `str(int(x) if int(x) == x else x)` is what the reference writes; ask Python.
    @Test func numbersFormatLikeTheReferenceImplementation() throws {
        let script = """
            import sys
            for line in sys.stdin.read().split():
                n = float(line)
                if int(n) == n:
                    n = int(n)
                print(str(n))
            """
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Self.numbers.map { "\($0)" }.joined(separator: "\n"), to: "in.txt")
        try directory.write(script, to: "format.py")
        let result = try ChildProcess.run("/bin/sh", ["-c", "python3 \(directory.file("format.py")) < \(directory.file("in.txt"))"])
        #expect(result.status == 0, "python3 is needed for this comparison: \(result.output)")
        let expected = result.output.split(separator: "\n").map(String.init)
        #expect(expected.count == Self.numbers.count)
        for (number, python) in zip(Self.numbers, expected) {
            #expect(HashNumberFormat.format(number) == python, "\(number)")
        }
    }

    @Test func numericStringsAreNormalisedAndCodesAreNot() {
        #expect(HashNumberFormat.formatIfNumeric("2.50") == "2.5")
        #expect(HashNumberFormat.formatIfNumeric("+7") == "7")
        #expect(HashNumberFormat.formatIfNumeric("1e3") == "1000")
        #expect(HashNumberFormat.formatIfNumeric("CEL") == "CEL")
        #expect(HashNumberFormat.formatIfNumeric("nan") == "nan")
        #expect(HashNumberFormat.formatIfNumeric("0x1p3") == "0x1p3")
        #expect(HashNumberFormat.formatIfNumeric("12-34") == "12-34")
    }

    @Test(arguments: [
        ("2020-03-04T11:00:30.000+01:00", "2020-03-04T10:00:30.000Z"),
        ("2023-01-11T12:00:00+01:00", "2023-01-11T11:00:00.000Z"),
        ("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z"),
        ("2023-01-18T11:04:03.1414999Z", "2023-01-18T11:04:03.141Z"),
        ("2024-02-29T23:59:59.9994-05:30", "2024-03-01T05:29:59.999Z"),
        ("1999-12-31T23:59:59Z", "1999-12-31T23:59:59.000Z")
    ])
    func timestampsBecomeUTCMilliseconds(input: String, expected: String) {
        #expect(EPCISTimestamp.canonical(input) == expected)
    }

    @Test func identifiersBecomeConstrainedDigitalLinks() {
        #expect(DigitalLinkNormaliser.normalise("urn:epc:id:sgtin:4012345.011111.9876") == "https://id.gs1.org/01/04012345111118/21/9876")
        #expect(DigitalLinkNormaliser.normalise("urn:epc:id:sscc:4012345.0000000111") == "https://id.gs1.org/00/040123450000001112")
        #expect(DigitalLinkNormaliser.normalise("urn:epc:id:sgln:4012345.00005.0") == "https://id.gs1.org/414/4012345000054")
        #expect(DigitalLinkNormaliser.normalise("urn:epc:id:giai:4000001.111") == "https://id.gs1.org/8004/4000001111")
        #expect(DigitalLinkNormaliser.normalise("https://farm.example.my/01/09506000134352/10/LOT-7/21/S1?x=1") == "https://id.gs1.org/01/09506000134352/21/S1")
        #expect(DigitalLinkNormaliser.normalise("https://coop.example/dl/414/9506000000007") == "https://id.gs1.org/414/9506000000007")
        #expect(DigitalLinkNormaliser.normalise("http://www.opengis.net/def/crs/EPSG/0/27700") == nil)
        #expect(DigitalLinkNormaliser.normalise("urn:example:plot:7") == nil)
    }

    static func event(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func orderOfKeysAndListItemsDoesNotChangeTheHash() throws {
        let hasher = EventHash(context: nil)
        let a = try Self.event(
            #"{"type":"ObjectEvent","eventTime":"2026-11-29T06:00:00Z","eventTimeZoneOffset":"+07:00","epcList":["https://id.gs1.org/01/09506000134352/10/A","https://id.gs1.org/01/09506000134352/10/B"],"action":"OBSERVE","bizStep":"sensor_reporting","sensorElementList":[{"sensorMetadata":{"startTime":"2026-11-29T05:00:00Z","endTime":"2026-11-29T06:00:00Z"},"sensorReport":[{"type":"Temperature","minValue":24.5,"maxValue":31,"uom":"CEL"},{"type":"RelativeHumidity","meanValue":80.25,"uom":"P1"}]}]}"#
        )
        let b = try Self.event(
            #"{"action":"OBSERVE","bizStep":"sensor_reporting","type":"ObjectEvent","epcList":["https://id.gs1.org/01/09506000134352/10/B","https://id.gs1.org/01/09506000134352/10/A"],"eventTimeZoneOffset":"+07:00","eventTime":"2026-11-29T13:00:00.000+07:00","sensorElementList":[{"sensorReport":[{"uom":"P1","meanValue":80.250,"type":"gs1:RelativeHumidity"},{"maxValue":31.0,"minValue":24.5,"type":"Temperature","uom":"CEL"}],"sensorMetadata":{"endTime":"2026-11-29T06:00:00Z","startTime":"2026-11-29T05:00:00Z"}}],"eventID":"ignored","recordTime":"2026-11-29T07:00:00Z"}"#
        )
        #expect(hasher.preHash(for: a) == hasher.preHash(for: b))
        #expect(hasher.eventID(for: a) == hasher.eventID(for: b))
        #expect(hasher.eventID(for: a).hasPrefix("ni:///sha-256;"))
        #expect(hasher.eventID(for: a).hasSuffix("?ver=CBV2.0"))
    }

    @Test func anyChangedValueChangesTheHash() throws {
        let hasher = EventHash(context: nil)
        let base =
            #"{"type":"ObjectEvent","eventTime":"2026-11-29T06:00:00Z","eventTimeZoneOffset":"+07:00","action":"OBSERVE","sensorElementList":[{"sensorReport":[{"type":"Temperature","meanValue":24.5,"uom":"CEL"}]}]}"#
        let original = hasher.eventID(for: try Self.event(base))
        for changed in [
            base.replacingOccurrences(of: "24.5", with: "24.51"),
            base.replacingOccurrences(of: "24.5", with: "-24.5"),
            base.replacingOccurrences(of: "CEL", with: "FAH"),
            base.replacingOccurrences(of: "06:00:00Z", with: "06:00:00.001Z"),
            base.replacingOccurrences(of: "OBSERVE", with: "ADD"),
            base.replacingOccurrences(of: #""action""#, with: #""ext:note":"x","action""#)
        ] {
            #expect(hasher.eventID(for: try Self.event(changed)) != original, "\(changed)")
        }
    }
}
