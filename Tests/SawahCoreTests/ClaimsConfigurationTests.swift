import Testing

@testable import SawahCore

/// `[claims]`: what a valid table gives, and every mistake named by its key.
@Suite struct ClaimsConfigurationTests {
    static let base = """
        [gateway]
        id = "gw1"
        [[sensors]]
        id = "tube"
        profile = "jsn-sr04t-field-tube"
        topic = "farm/tube"
        [[sensors]]
        id = "loose"
        profile = "ds18b20"
        topic = "farm/loose"
        [[sensors]]
        id = "p1"
        profile = "ds18b20"
        topic = "farm/p1"
        [[sensors]]
        id = "p2"
        profile = "ds18b20"
        topic = "farm/p2"
        [[sensors]]
        id = "p3"
        profile = "ds18b20"
        topic = "farm/p3"
        [traceability]
        issuer_name = "Farm"
        [[traceability.lots]]
        id = "urn:lot:rice"
        name = "Rice"
        plot = "urn:plot:1"
        sensors = ["tube"]
        [[traceability.lots]]
        id = "urn:lot:fruit"
        name = "Fruit"
        plot = "urn:plot:hold"
        sensors = ["p1", "p2", "p3"]

        """

    func parse(_ claims: String) throws -> GatewayConfiguration {
        try GatewayConfiguration.parse(text: Self.base + claims, file: "/etc/sawah/sawah.toml")
    }

    func problems(_ claims: String, base: String = Self.base) -> [String] {
        do {
            _ = try GatewayConfiguration.parse(text: base + claims, file: "/etc/sawah/sawah.toml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aValidTableGivesPlotsTreatmentsAndSchedules() throws {
        let config = try parse(
            """
            [[claims.awd]]
            plot = "urn:plot:1"
            level_sensor = "tube"
            [[claims.cold_treatment]]
            lot = "urn:lot:fruit"
            schedule = "agency-x-2"
            exporter = "urn:exporter:1"
            exporter_name = "Exporter"
            probes = [{ sensor = "p1", placement = "pulp" }, { sensor = "p2", placement = "pulp" }, { sensor = "p3", placement = "air" }]
            [[claims.schedules]]
            id = "agency-x-2"
            restart_above_celsius = 3
            min_pulp_probes = 2
            rows = [{ max_celsius = 0.5, days = 10 }, { max_celsius = 1.5, days = 15 }]
            """)
        #expect(config.claims.awd == [.init(plot: "urn:plot:1", levelSensor: "tube")])
        #expect(config.claims.coldTreatments.first?.probes.map(\.placement) == ["pulp", "pulp", "air"])
        let schedule = try #require(config.claims.schedule("agency-x-2"))
        #expect(schedule.rows.map(\.days) == [10, 15] && schedule.minPulpProbes == 2 && schedule.maxIntervalMinutes == 65)
        #expect(config.claims.schedule("usda-ppq-t107-a") == .t107a)
    }

    @Test(arguments: [
        ("[[claims.awd]]\nplot = \"urn:plot:1\"\nlevel_sensor = \"nope\"\n", "[[claims.awd]] #1 level_sensor: no sensor \"nope\" in [[sensors]]"),
        ("[[claims.awd]]\nplot = \"urn:plot:1\"\nlevel_sensor = \"loose\"\n", "speaks for no [[traceability.lots]] entry, so its readings are never sealed"),
        ("[[claims.awd]]\nplot = \"plot one\"\nlevel_sensor = \"tube\"\n", "[[claims.awd]] #1 plot: expected a URI"),
        (
            "[[claims.cold_treatment]]\nlot = \"urn:lot:fruit\"\nexporter = \"urn:e\"\nexporter_name = \"E\"\nprobes = [{ sensor = \"p1\", placement = \"skin\" }]\n",
            "placement: expected \"pulp\" (in the fruit) or \"air\", found \"skin\""
        ),
        (
            "[[claims.cold_treatment]]\nlot = \"urn:lot:fruit\"\nexporter = \"urn:e\"\nexporter_name = \"E\"\nprobes = [{ sensor = \"p1\", placement = \"pulp\" }]\n",
            "schedule usda-ppq-t107-a needs at least 3 pulp probes, found 1"
        ),
        (
            "[[claims.cold_treatment]]\nlot = \"urn:lot:nope\"\nexporter = \"urn:e\"\nexporter_name = \"E\"\nprobes = [{ sensor = \"p1\", placement = \"pulp\" }]\n",
            "no lot urn:lot:nope in [[traceability.lots]]"
        ),
        (
            "[[claims.cold_treatment]]\nlot = \"urn:lot:fruit\"\nschedule = \"t999\"\nexporter = \"urn:e\"\nexporter_name = \"E\"\nprobes = [{ sensor = \"p1\", placement = \"pulp\" }]\n",
            "no schedule \"t999\"; known: usda-ppq-t107-a"
        ),
        ("[[claims.cold_treatment]]\nlot = \"urn:lot:fruit\"\nexporter = \"urn:e\"\nexporter_name = \"E\"\n", "probes: missing"),
        (
            "[[claims.schedules]]\nid = \"s\"\nrestart_above_celsius = 2\nrows = [{ max_celsius = 2, days = 10 }, { max_celsius = 1, days = 12 }]\n",
            "row 2 must allow a warmer temperature for longer than the row before it"
        ),
        ("[[claims.schedules]]\nid = \"s\"\nrestart_above_celsius = 2\n", "rows: missing"),
        ("[claims]\nawd_plots = []\n", "[claims] awd_plots: unknown key")
    ])
    func mistakesAreNamed(claims: String, expected: String) {
        let found = problems(claims)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func claimsWithoutTraceabilityAreRefused() {
        let found = problems("[claims]\n", base: "[gateway]\nid = \"gw1\"\n")
        #expect(found.contains { $0.contains("claims rest on sealed readings: add a [traceability] table") }, "\(found)")
    }
}
