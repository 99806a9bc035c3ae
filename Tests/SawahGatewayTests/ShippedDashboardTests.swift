import Foundation
import SawahCore
import TestSupport
import Testing

@testable import SawahGateway

/// The Home Assistant dashboard shipped in dashboards/ names only entities that Sawah's MQTT
/// discovery publishes for the sample config, and shows every one of them.
@Suite struct ShippedDashboardTests {
    @Test func theLovelaceDashboardNamesExactlyTheDiscoveredEntities() throws {
        let config = try GatewayConfiguration.load(path: ProjectPaths.root + "/config/sawah.toml")
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        let discovered = Set(
            DashboardTopics(config: config).discovery(config: config, library: library).compactMap { message -> String? in
                guard let object = try? JSONValue.parse(Array(message.payload.utf8)), case .string(let id)? = object.value(at: "object_id") else { return nil }
                return "sensor." + id
            })
        let yaml = try String(contentsOfFile: ProjectPaths.root + "/dashboards/home-assistant/sawah-lovelace.yaml", encoding: .utf8)
        let named = Set(
            yaml.split(separator: "\n").compactMap { line -> String? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix("- entity: ") else { return nil }
                return String(text.dropFirst("- entity: ".count))
            })
        #expect(!discovered.isEmpty)
        #expect(named.subtracting(discovered).isEmpty, "entities no discovery publishes: \(named.subtracting(discovered).sorted())")
        #expect(discovered.subtracting(named).isEmpty, "discovered entities the dashboard leaves out: \(discovered.subtracting(named).sorted())")
    }
}
