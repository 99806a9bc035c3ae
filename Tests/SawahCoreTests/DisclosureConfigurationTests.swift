import Testing

@testable import SawahCore

/// `[platforms.disclosure]`: a valid profile, the default, and every contradiction named.
@Suite struct DisclosureConfigurationTests {
    static let base = """
        [gateway]
        id = "gw1"
        [[sensors]]
        id = "probe"
        profile = "ds18b20"
        topic = "farm/probe"
        [traceability]
        issuer_name = "Farm"
        [[traceability.lots]]
        id = "urn:lot:1"
        name = "Lot"
        plot = "urn:plot:1"
        sensors = ["probe"]
        [[platforms]]
        id = "p"
        kind = "credentials"

        """

    func parse(_ text: String) throws -> PlatformConfiguration {
        try #require(try GatewayConfiguration.parse(text: Self.base + text, file: "/etc/sawah/sawah.toml").platforms.first)
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try GatewayConfiguration.parse(text: Self.base + text, file: "/etc/sawah/sawah.toml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aProfileIsReadKeyByKeyAndTheDefaultProtects() throws {
        let plain = try parse("url = \"https://x.example\"\n")
        #expect(plain.disclosure == DisclosureProfile() && plain.disclosure.location == .facilityOnly)
        let platform = try parse(
            """
            url = "https://x.example"
            [platforms.disclosure]
            location = "geohash:6"
            series = "aggregate:15m"
            quantities = ["soil_temperature"]
            lots = ["urn:lot:1"]
            device_ids = "pseudonym"
            terms = "https://x.example/terms"
            """)
        let profile = platform.disclosure
        #expect(profile.location == .geohash(precision: 6) && profile.series == .aggregate(seconds: 900))
        #expect(profile.quantities == ["soil_temperature"] && profile.lots == ["urn:lot:1"] && profile.pseudonymousDevices)
        #expect(profile.terms == "https://x.example/terms")
        #expect(
            try parse("url = \"https://x\"\n[platforms.disclosure]\nlocation = \"grid:0.05\"\nseries = \"aggregate:1d\"\n").disclosure.series
                == .aggregate(seconds: 86_400))
    }

    @Test(arguments: [
        (
            "url = \"http://x.example\"\n[platforms.disclosure]\nlocation = \"exact\"\n",
            "exact coordinates are personal data: they go to a platform over https:// only"
        ),
        ("url = \"https://x\"\n[platforms.disclosure]\nlots = [\"urn:lot:9\"]\n", "lots: no lot urn:lot:9 in [[traceability.lots]]"),
        ("url = \"https://x\"\n[platforms.disclosure]\nlocation = \"geohash:13\"\n", "location: expected \"exact\", \"geohash:<precision 1-12>\""),
        ("url = \"https://x\"\n[platforms.disclosure]\nlocation = \"h3:7\"\n", "location: expected"),
        ("url = \"https://x\"\n[platforms.disclosure]\nseries = \"aggregate:10s\"\n", "series: expected \"raw\" or \"aggregate:<interval from 1m to 1d>\""),
        ("url = \"https://x\"\n[platforms.disclosure]\nseries = \"hourly\"\n", "series: expected"),
        ("url = \"https://x\"\n[platforms.disclosure]\ndevice_ids = \"hide\"\n", "device_ids: expected \"keep\" or \"pseudonym\""),
        ("url = \"https://x\"\n[platforms.disclosure]\nterms = \"see our website\"\n", "terms: expected a URI"),
        ("url = \"https://x\"\n[platforms.disclosure]\nquantities = []\n", "an empty list sends nothing"),
        ("url = \"https://x\"\n[platforms.disclosure]\nprecision = 3\n", "precision: unknown key")
    ])
    func contradictionsAreNamed(text: String, expected: String) {
        let found = problems(text)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }
}
