import Foundation
import Testing

@testable import SawahCore

@Suite struct PayloadNormaliserTests {
    static let profile = DeviceProfile(
        id: "probe", model: "Probe", manufacturer: "Test", category: "test", decoder: "json", timeField: "time",
        quantities: [
            .init(name: "temperature", unit: "CEL", min: -40, max: 85, field: "t", measurement: "Temperature"),
            .init(name: "humidity", unit: "P1", min: 0, max: 100, field: "env.rh", measurement: "RelativeHumidity")
        ])
    static let now: Int64 = 1_764_403_200_000

    func normalise(_ text: String, sensor: GatewayConfiguration.Sensor = .init(id: "s1", profile: "probe", topic: "t")) -> PayloadNormaliser.Outcome {
        PayloadNormaliser(sensor: sensor, profile: Self.profile).normalise(payload: Array(text.utf8), source: "farm/t", receivedAt: Self.now)
    }

    @Test func readsNestedPathsAndKeepsTheReceiveTimeWhenNoneIsSent() {
        let outcome = normalise(#"{"t": 21.5, "env": {"rh": 80}}"#)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.readings.map(\.quantity) == ["temperature", "humidity"])
        #expect(outcome.readings.allSatisfy { $0.observedAt == Self.now && $0.quality == .receiveTime })
        #expect(outcome.readings.allSatisfy { $0.sensor == "s1" && $0.source == "farm/t" })
    }

    @Test(arguments: [
        (#"{"t": NaN}"#, "malformed JSON"),
        (#"{"t": Infinity}"#, "malformed JSON"),
        (#"{"t": -Infinity}"#, "malformed JSON"),
        (#"{"t": "NaN"}"#, "not a finite number"),
        (#"{"t": "inf"}"#, "not a finite number"),
        (#"{"t": [1]}"#, "expected a number, found an array"),
        (#"{"t": {"v": 1}}"#, "expected a number, found an object"),
        (#"{"t": "warm"}"#, "expected a number, found the string \"warm\""),
        (#"{"t": 1e400}"#, "malformed JSON"),
        (#"{"t": 86}"#, "temperature = 86.0 CEL is outside the valid range -40.0…85.0"),
        (#"{"other": 1}"#, "none of the fields"),
        ("", "malformed JSON"),
        ("{", "malformed JSON"),
        ("not json", "malformed JSON")
    ])
    func badPayloadsAreExplained(payload: String, expected: String) {
        let outcome = normalise(payload)
        #expect(outcome.readings.isEmpty)
        #expect(outcome.problems.contains { $0.contains(expected) }, "\(payload) → \(outcome.problems)")
    }

    @Test func invalidUTF8IsReportedWithItsOffset() {
        var bytes = Array(#"{"t": 1, "x": ""#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}"#.utf8)
        let outcome = PayloadNormaliser(sensor: .init(id: "s1", profile: "probe", topic: "t"), profile: Self.profile)
            .normalise(payload: bytes, source: "farm/t", receivedAt: Self.now)
        #expect(outcome.readings.isEmpty)
        #expect(outcome.problems == ["payload is not valid UTF-8 (bad byte at offset 15)"])
    }

    @Test func aOneMegabytePayloadIsRefusedUnread() {
        let big = "{\"t\": 1, \"pad\": \"" + String(repeating: "x", count: 1_000_000) + "\"}"
        let outcome = normalise(big)
        #expect(outcome.readings.isEmpty)
        #expect(outcome.problems.first?.contains("exceeds the 65536-byte limit") == true)
    }

    @Test func calibrationAppliesBeforeTheRangeCheckAndIsFlagged() {
        var sensor = GatewayConfiguration.Sensor(id: "s1", profile: "probe", topic: "t")
        sensor.calibration["temperature"] = .init(scale: 0.1, offset: -2)
        let outcome = normalise(#"{"t": 250}"#, sensor: sensor)
        #expect(outcome.readings.first?.value == 23)
        #expect(outcome.readings.first?.quality.contains(.calibrated) == true)
        #expect(normalise(#"{"t": 1000}"#, sensor: sensor).problems.first?.contains("outside the valid range") == true)
        // No binary-arithmetic tails: 49.2 * 1.04 - 1.5 is stored as 49.668.
        sensor.calibration["temperature"] = .init(scale: 1.04, offset: -1.5)
        #expect(normalise(#"{"t": 49.2}"#, sensor: sensor).readings.first?.value == 49.668)
    }

    @Test func fieldOverridesAndBareNumbers() {
        var sensor = GatewayConfiguration.Sensor(id: "s1", profile: "probe", topic: "t")
        sensor.fields["temperature"] = "$"
        let outcome = normalise("19.25", sensor: sensor)
        #expect(outcome.readings.map(\.value) == [19.25])
    }

    struct TimeCase: Sendable, CustomTestStringConvertible {
        var time: String
        var observedAt: Int64
        var flags: QualityFlags
        var testDescription: String { time }
    }

    static let timeCases: [TimeCase] = [
        .init(time: "1764400000", observedAt: 1_764_400_000_000, flags: []),
        .init(time: "1764400000123", observedAt: 1_764_400_000_123, flags: []),
        .init(time: "\"2025-11-29T07:06:40Z\"", observedAt: 1_764_400_000_000, flags: []),
        .init(time: "\"2025-11-29T07:06:40.250Z\"", observedAt: 1_764_400_000_250, flags: []),
        .init(time: "12", observedAt: now, flags: [.receiveTime, .implausibleDeviceTime]),
        .init(time: "\"yesterday\"", observedAt: now, flags: [.receiveTime, .implausibleDeviceTime]),
        .init(time: "1764490000", observedAt: now, flags: [.receiveTime, .implausibleDeviceTime])
    ]

    @Test(arguments: timeCases)
    func deviceTimestamps(_ c: TimeCase) {
        let outcome = normalise(#"{"t": 20, "time": \#(c.time)}"#)
        #expect(outcome.readings.first?.observedAt == c.observedAt)
        #expect(outcome.readings.first?.quality == c.flags)
    }

    /// With the gateway's clock unsynchronised (a Pi that booted with 1970, say), a device time
    /// is not judged by it: a good node clock "ahead" of the gateway is kept, only a time
    /// before 2020 is refused; every reading says the gateway's clock was unchecked.
    static let unsynchronisedCases: [TimeCase] = [
        .init(time: "1764400000", observedAt: 1_764_400_000_000, flags: .unsynchronisedGatewayClock),
        // Far ahead of a gateway that believes it is 1970: the node's clock is kept.
        .init(time: "1764490000", observedAt: 1_764_490_000_000, flags: .unsynchronisedGatewayClock),
        .init(time: "12", observedAt: 5_000, flags: [.receiveTime, .implausibleDeviceTime, .unsynchronisedGatewayClock])
    ]

    @Test(arguments: unsynchronisedCases)
    func deviceTimesAreNotJudgedByAnUnsynchronisedClock(_ c: TimeCase) {
        let outcome = PayloadNormaliser(sensor: .init(id: "s1", profile: "probe", topic: "t"), profile: Self.profile)
            .normalise(payload: Array(#"{"t": 20, "time": \#(c.time)}"#.utf8), source: "farm/t", receivedAt: 5_000, gatewayClockSynchronised: false)
        #expect(outcome.readings.first?.observedAt == c.observedAt)
        #expect(outcome.readings.first?.quality == c.flags)
        // No device time: the receive time, flagged twice over.
        let bare = PayloadNormaliser(sensor: .init(id: "s1", profile: "probe", topic: "t"), profile: Self.profile)
            .normalise(payload: Array(#"{"t": 20}"#.utf8), source: "farm/t", receivedAt: 5_000, gatewayClockSynchronised: false)
        #expect(bare.readings.first?.quality == [.receiveTime, .unsynchronisedGatewayClock])
        #expect(bare.readings.first?.quality.names == ["receive-time", "unsynchronised-gateway-clock"])
    }

    @Test func oneBadQuantityKeepsTheGoodOne() {
        let outcome = normalise(#"{"t": 20, "env": {"rh": 140}}"#)
        #expect(outcome.readings.map(\.quantity) == ["temperature"])
        #expect(outcome.problems.count == 1)
    }

    @Test func topicFilters() {
        #expect(TopicFilter.matches("farm/+/soil", topic: "farm/plot1/soil"))
        #expect(TopicFilter.matches("farm/#", topic: "farm/a/b/c"))
        #expect(TopicFilter.matches("farm/#", topic: "farm"))
        #expect(!TopicFilter.matches("farm/+/soil", topic: "farm/plot1/air"))
        #expect(!TopicFilter.matches("farm/+", topic: "farm/a/b"))
        #expect(TopicFilter.problem(in: "farm/#/x") != nil)
        #expect(TopicFilter.problem(in: "farm/a+") != nil)
        #expect(TopicFilter.problem(in: "") != nil)
        #expect(TopicFilter.problem(in: "farm/+/x/#") == nil)
    }
}
