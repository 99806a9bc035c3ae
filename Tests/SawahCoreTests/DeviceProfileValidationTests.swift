import Foundation
import TestSupport
import Testing

@testable import SawahCore

@Suite struct DeviceProfileValidationTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try DeviceProfile.parse(text: text, id: "broken", file: "devices/broken/profile.toml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aBrokenProfileGetsOneMessagePerProblem() {
        let found = problems(
            """
            model = "X"
            manufacturer = "Y"
            decoder = "protobuf"

            [[quantities]]
            name = "t"
            unit = "DEGC"
            min = 10
            max = 5

            [[quantities]]
            name = "t"
            unit = "CEL"
            max = 5
            colour = "red"
            """)
        #expect(found.contains("devices/broken/profile.toml: category: missing: this key is required"))
        #expect(found.contains { $0.hasPrefix("devices/broken/profile.toml:3: decoder: expected one of \"json\"") })
        #expect(found.contains { $0.hasPrefix("devices/broken/profile.toml:7: [[quantities]] #1 unit: \"DEGC\" is not a UN/ECE Rec 20 code") })
        #expect(found.contains("devices/broken/profile.toml:9: [[quantities]] #1 max: must be greater than min (10.0)"))
        #expect(found.contains { $0.hasPrefix("devices/broken/profile.toml:11: [[quantities]] #2 min: missing") })
        #expect(found.contains { $0.hasPrefix("devices/broken/profile.toml:15: [[quantities]] #2 colour: unknown key") })
    }

    @Test func aZeroScaleIsRefusedAndByteDecodersAreKnown() {
        let found = problems(
            """
            model = "X"
            manufacturer = "Y"
            category = "z"
            decoder = "dragino-lse01"

            [[quantities]]
            name = "flow"
            unit = "L2"
            min = 0
            max = 40
            scale = 0
            """)
        #expect(found == ["devices/broken/profile.toml:11: [[quantities]] #1 scale: must not be 0 (every reading would be the offset)"], "\(found)")
    }

    @Test func aProfileWithoutQuantitiesIsRejected() {
        #expect(problems("model = \"X\"\nmanufacturer = \"Y\"\ncategory = \"z\"\n").contains { $0.contains("at least one [[quantities]]") })
    }

    @Test func theLibraryReportsEveryBrokenProfileTogether() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true)
            try directory.write("model = 1\n", to: "\(name)/profile.toml")
        }
        #expect {
            _ = try DeviceLibrary.load(directory: directory.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("/a/profile.toml:1: model: expected a string") && text.contains("/b/profile.toml:1: model: expected a string")
        }
    }
}

/// A quantity that means nothing before a per-site calibration (a level needs the sensor's
/// mounting height) is refused at config time without one, and right with one.
@Suite struct CalibrationRequiredTests {
    static func config(calibration: String) throws -> GatewayConfiguration {
        try GatewayConfiguration.parse(
            text: """
                [gateway]
                id = "gw"
                [[sensors]]
                id = "tube"
                profile = "jsn-sr04t-field-tube"
                topic = "paddy-node/sensor/distance/state"
                format = "esphome"
                \(calibration)
                """, file: "sawah.toml")
    }

    @Test func aFieldTubeWithoutItsMountingHeightIsRefused() throws {
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        #expect(throws: ConfigErrors.self) { try library.validate(try Self.config(calibration: "")) }
        do {
            try library.validate(try Self.config(calibration: ""))
        } catch {
            #expect("\(error)".contains("[sensors.calibration] water_level = { offset = … }"), "\(error)")
            #expect("\(error)".contains("height above the soil surface"), "\(error)")
        }
    }

    @Test func withItTheLevelIsRelativeToTheSoilSurface() throws {
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        let config = try Self.config(calibration: "[sensors.calibration]\nwater_level = { offset = 42 }")
        try library.validate(config)
        let profile = try #require(library.profiles["jsn-sr04t-field-tube"])
        let outcome = PayloadNormaliser(sensor: config.sensors[0], profile: profile)
            .normalise(payload: Array("0.5".utf8), source: "paddy-node/sensor/distance/state", receivedAt: 1_780_000_000_000)
        #expect(outcome.readings.map(\.value) == [-8] && outcome.readings.map(\.unit) == ["CMT"], "\(outcome.problems)")
    }

    @Test func aProfileMustSayWhatTheCalibrationGives() {
        #expect(throws: ConfigErrors.self) {
            try DeviceProfile.parse(
                text: """
                    model = "m"
                    manufacturer = "x"
                    category = "c"
                    [[quantities]]
                    name = "level"
                    unit = "CMT"
                    min = -1.0
                    max = 1.0
                    calibration_required = "  "
                    """, id: "p", file: "profile.toml")
        }
    }
}
