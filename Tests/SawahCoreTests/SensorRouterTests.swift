import Testing

@testable import SawahCore

/// The router looks topics up as the broker compares them: byte for byte.
@Suite struct SensorRouterTests {
    static let profile = DeviceProfile(
        id: "probe", model: "Probe", manufacturer: "Test", category: "test", decoder: "json", timeField: nil,
        quantities: [.init(name: "temperature", unit: "CEL", min: -40, max: 85, field: "t", measurement: "Temperature")])

    func router(topics: [String]) throws -> SensorRouter {
        var text = "[gateway]\nid = \"gw1\"\n"
        for (index, topic) in topics.enumerated() {
            text += "[[sensors]]\nid = \"s\(index)\"\nprofile = \"probe\"\ntopic = \"\(topic)\"\n"
        }
        let config = try GatewayConfiguration.parse(text: text, file: "/etc/sawah/sawah.toml")
        return SensorRouter(config: config, library: DeviceLibrary(directory: "", profiles: ["probe": Self.profile]))
    }

    @Test func aCanonicallyEquivalentSpellingIsAnotherTopic() throws {
        let router = try router(topics: ["farm/caf\u{E9}/t"])
        #expect(router.normaliser(for: "farm/caf\u{E9}/t") != nil)
        #expect(router.normaliser(for: "farm/cafe\u{301}/t") == nil, "NFD spelling routed to the NFC sensor")
    }

    @Test func bothSpellingsAreSubscribedWhenBothAreConfigured() throws {
        let router = try router(topics: ["farm/caf\u{E9}/t", "farm/cafe\u{301}/t", "farm/+/\u{301}x"])
        #expect(router.subscriptions.count == 3)
        #expect(router.normaliser(for: "farm/cafe\u{301}/t")?.sensor.id == "s1")
        #expect(router.normaliser(for: "farm/a/\u{301}x")?.sensor.id == "s2")
    }
}
