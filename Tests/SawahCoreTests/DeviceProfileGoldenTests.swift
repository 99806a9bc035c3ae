import Foundation
import TestSupport
import Testing

@testable import SawahCore

/// Runs every `devices/*/golden.json` case: payload in, readings and problems out.
@Suite struct DeviceProfileGoldenTests {
    static let devices = ProjectPaths.root + "/devices"

    static var profileNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: devices)) ?? [])
            .filter { FileManager.default.fileExists(atPath: "\(devices)/\($0)/profile.toml") }
            .sorted()
    }

    @Test func theLibraryHasAtLeastFifteenFarmSensorsEachWithGoldenCasesAndAReadme() throws {
        let library = try DeviceLibrary.load(directory: Self.devices)
        #expect(library.profiles.count >= 15)
        for name in library.profiles.keys {
            #expect(FileManager.default.fileExists(atPath: "\(Self.devices)/\(name)/golden.json"), "\(name) has no golden.json")
            #expect(FileManager.default.fileExists(atPath: "\(Self.devices)/\(name)/README.md"), "\(name) has no README.md")
        }
    }

    @Test(arguments: profileNames)
    func goldenCases(profileName: String) throws {
        let library = try DeviceLibrary.load(directory: Self.devices)
        let profile = try #require(library.profiles[profileName])
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.devices)/\(profileName)/golden.json"))
        let file = try JSONDecoder().decode(GoldenFile.self, from: data)
        #expect(!file.cases.isEmpty)
        let receivedAt: Int64 = 1_764_403_200_000  // 2025-11-29T08:00:00Z
        for golden in file.cases {
            var sensor = GatewayConfiguration.Sensor(id: "golden", profile: profileName, topic: "golden/topic")
            sensor.format = try #require(PayloadFormat(rawValue: golden.format ?? "json"), "\(profileName): \(golden.name): unknown format")
            let normaliser = PayloadNormaliser(sensor: sensor, profile: profile)
            let outcome = normaliser.normalise(payload: try golden.payloadBytes(), source: golden.topic ?? "golden/topic", receivedAt: receivedAt)
            let got = outcome.readings.map { GoldenReading(quantity: $0.quantity, value: $0.value, unit: $0.unit) }
            #expect(got == golden.expect, "\(profileName): \(golden.name)")
            let expectedProblems = golden.problems ?? []
            if expectedProblems.isEmpty {
                #expect(outcome.problems.isEmpty, "\(profileName): \(golden.name): unexpected problems \(outcome.problems)")
            }
            for fragment in expectedProblems {
                #expect(
                    outcome.problems.contains { $0.contains(fragment) },
                    "\(profileName): \(golden.name): no problem mentions \"\(fragment)\" in \(outcome.problems)")
            }
            if let observedAt = golden.observedAt {
                #expect(
                    !outcome.readings.isEmpty && outcome.readings.allSatisfy { $0.observedAt == observedAt }, "\(profileName): \(golden.name): observed time")
            }
        }
    }
}

struct GoldenFile: Decodable {
    var cases: [GoldenCase]
}

struct GoldenCase: Decodable {
    var name: String
    var payload: AnyJSON?
    var payloadText: String?
    var expect: [GoldenReading]
    var problems: [String]?
    var observedAt: Int64?
    /// The sensor's `format` (json by default): chirpstack and ttn cases carry a server's uplink.
    var format: String?
    /// The message's topic (ESPHome cases name the entity in it).
    var topic: String?

    /// golden.json is written by hand, in the snake case of the device library's files.
    enum CodingKeys: String, CodingKey {
        case name
        case payload
        case expect
        case problems
        case format
        case topic
        case payloadText = "payload_text"
        case observedAt = "observed_at"
    }

    func payloadBytes() throws -> [UInt8] {
        if let payloadText { return Array(payloadText.utf8) }
        guard let payload else { throw CocoaError(.coderValueNotFound) }
        return Array(try JSONEncoder().encode(payload))
    }
}

struct GoldenReading: Decodable, Equatable, CustomStringConvertible {
    var quantity: String
    var value: Double
    var unit: String

    static func == (a: Self, b: Self) -> Bool {
        a.quantity == b.quantity && a.unit == b.unit && abs(a.value - b.value) <= 1e-9 * max(1, abs(a.value))
    }

    var description: String { "\(quantity)=\(value) \(unit)" }
}

/// Any JSON value, re-encoded as it came, so golden files can hold payloads as real JSON.
indirect enum AnyJSON: Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Double.self) {
            self = .number(v)
        } else if let v = try? c.decode(String.self) {
            self = .string(v)
        } else if let v = try? c.decode([AnyJSON].self) {
            self = .array(v)
        } else {
            self = .object(try c.decode([String: AnyJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .number(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}
