import Foundation
import TestSupport
import Testing

@testable import SawahCore

@Suite struct GatewayConfigurationTests {
    func problems(_ text: String) -> [ConfigError] {
        do {
            _ = try GatewayConfiguration.parse(text: text, file: "/etc/sawah/sawah.toml")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func theShippedSampleConfigIsValidWithTheShippedProfiles() throws {
        let config = try GatewayConfiguration.load(path: ProjectPaths.root + "/config/sawah.toml")
        #expect(config.gatewayID == "demo-farm-gw1")
        #expect(config.sensors.count == 5)
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        try library.validate(config)
        let rain = try #require(config.sensors.first { $0.id == "station-rain" })
        #expect(rain.fields["rainfall"] == "tips")
        #expect(rain.calibration["rainfall"] == .init(scale: 0.3, offset: 0))
    }

    @Test func defaultsApplyWhenKeysAreLeftOut() throws {
        let config = try GatewayConfiguration.parse(text: "[gateway]\nid = \"gw1\"\n", file: "/etc/sawah/sawah.toml")
        #expect(config.dataDirectory == "/var/lib/sawah")
        #expect(config.durability == .process)
        #expect(config.mqtt.host == "127.0.0.1")
        #expect(config.mqtt.port == 1883)
        #expect(config.mqtt.clientID == "sawah-gw1")
        #expect(config.retention.maxAgeDays == 400)
        #expect(config.journalPath == "/var/lib/sawah/journal.sqlite")
        #expect(config.mqtt.commitDelayMilliseconds == 20 && config.mqtt.commitQuietMilliseconds == 2)
    }

    /// The quiet gap is what lets a sparse stream share commits (SD-card wear); it can never
    /// outlast the delay a PUBACK waits at most.
    @Test func theCommitQuietGapIsReadAndBoundedByTheDelay() throws {
        let config = try GatewayConfiguration.parse(
            text: "[gateway]\nid = \"gw1\"\n[mqtt]\ncommit_delay_ms = 1000\ncommit_quiet_ms = 1000\n", file: "/etc/sawah/sawah.toml")
        #expect(config.mqtt.commitQuietMilliseconds == 1000)
        let found = problems("[gateway]\nid = \"gw1\"\n[mqtt]\ncommit_delay_ms = 100\ncommit_quiet_ms = 500\n").map(\.description)
        #expect(found.count == 1 && found[0].contains("commit_quiet_ms") && found[0].contains("longer than commit_delay_ms (100)"), "\(found)")
    }

    /// Whose word the clock takes: the kernel's NTP state unless the config trusts it.
    @Test func theClockTrustIsReadAndAnUnknownOneNamed() throws {
        #expect(try GatewayConfiguration.parse(text: "[gateway]\nid = \"gw1\"\n", file: "/etc/sawah/sawah.toml").clock == .ntp)
        let trusted = try GatewayConfiguration.parse(text: "[gateway]\nid = \"gw1\"\nclock = \"trusted\"\n", file: "/etc/sawah/sawah.toml")
        #expect(trusted.clock == .trusted)
        let found = problems("[gateway]\nid = \"gw1\"\nclock = \"gps\"\n").map(\.description)
        #expect(found.count == 1 && found[0].contains("clock") && found[0].contains("gps"), "\(found)")
    }

    /// The space reserve beside the journal: 16 MiB unless set, 0 turns it off, bounded.
    @Test func theSpaceReserveIsReadAndBounded() throws {
        #expect(try GatewayConfiguration.parse(text: "[gateway]\nid = \"gw1\"\n", file: "/etc/sawah/sawah.toml").retention.reserveMB == 16)
        let off = try GatewayConfiguration.parse(text: "[gateway]\nid = \"gw1\"\n[retention]\nreserve_mb = 0\n", file: "/etc/sawah/sawah.toml")
        #expect(off.retention.reserveMB == 0)
        let found = problems("[gateway]\nid = \"gw1\"\n[retention]\nreserve_mb = 5000\n").map(\.description)
        #expect(found.count == 1 && found[0].contains("reserve_mb"), "\(found)")
    }

    @Test func relativePathsAreTakenFromTheConfigFilesFolder() throws {
        let config = try GatewayConfiguration.parse(
            text: "[gateway]\nid = \"gw1\"\ndata_dir = \"state\"\ndevices_dir = \"../devices\"\n", file: "/opt/farm/sawah.toml")
        #expect(config.dataDirectory == "/opt/farm/state")
        #expect(config.devicesDirectory == "/opt/farm/../devices")
    }

    @Test func everyProblemNamesItsLineAndKey() {
        let found = problems(
            """
            [gateway]
            id = "gw 1"
            durability = "fast"

            [mqtt]
            port = 70000
            keepalive = "30"
            prot = 1883

            [[sensors]]
            id = "a"
            profile = "ds18b20"

            [[sensors]]
            id = "b"
            profile = "ds18b20"
            topic = "farm/#/x"
            """)
        let rendered = found.map(\.description)
        #expect(rendered.contains("/etc/sawah/sawah.toml:2: [gateway] id: expected letters, digits, '-' or '_' (it names MQTT topics), found \"gw 1\""))
        #expect(rendered.contains("/etc/sawah/sawah.toml:3: [gateway] durability: expected one of \"process\", \"power\", found \"fast\""))
        #expect(rendered.contains("/etc/sawah/sawah.toml:6: [mqtt] port: expected an integer in 1…65535, found 70000"))
        #expect(rendered.contains("/etc/sawah/sawah.toml:7: [mqtt] keepalive: expected an integer in 5…3600, found string"))
        #expect(rendered.contains { $0.hasPrefix("/etc/sawah/sawah.toml:8: [mqtt] prot: unknown key") })
        #expect(rendered.contains { $0.hasPrefix("/etc/sawah/sawah.toml:10: [[sensors]] #1 topic: missing") })
        #expect(rendered.contains("/etc/sawah/sawah.toml:17: [[sensors]] #2 topic: '#' must be a whole level and the last one, in \"farm/#/x\""))
        #expect(found.count == 7)
    }

    @Test func noSettingMayCarryANewlineIntoAGeneratedFile() {
        // A TOML escape puts a real newline in the value: into mosquitto.conf it would add a
        // directive of its own (here: let anyone in).
        let found = problems(
            #"""
            [gateway]
            id = "gw1"
            [broker]
            persistence_location = "/var/lib/mosquitto\nallow_anonymous true"
            [mqtt]
            subscribe = ["farm/#", "x\u001b[2J"]
            """#
        ).map(\.description)
        #expect(found.contains { $0.contains("[broker] persistence_location: contains the control character \\n") }, "\(found)")
        #expect(found.contains { $0.contains("[mqtt] subscribe: entry 2 contains the control character \\u{1B}") }, "\(found)")
    }

    @Test func syntaxErrorsCarryTheParsersLine() {
        let found = problems("[gateway]\nid = \"gw1\"\n\n[mqtt\nport = 1\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 4)
        #expect(found.first?.problem.hasPrefix("invalid TOML") == true)
    }

    @Test func aMissingGatewayTableIsReported() {
        #expect(problems("[mqtt]\nport = 1883\n").map(\.key) == ["gateway"])
    }

    @Test func duplicateSensorIdsAndTLSHalvesAreRejected() {
        let found = problems(
            """
            [gateway]
            id = "gw"
            [mqtt]
            tls_cert_file = "/etc/sawah/c.pem"
            [[sensors]]
            id = "a"
            profile = "x"
            topic = "t/1"
            [[sensors]]
            id = "a"
            profile = "x"
            topic = "t/2"
            """
        ).map(\.description)
        #expect(found.contains { $0.contains("tls_cert_file and tls_key_file go together") })
        #expect(found.contains { $0.contains("sensor id \"a\" is used twice") })
        #expect(found.contains { $0.contains("needs tls_ca_file") })
    }

    @Test func traceabilityErrorsNameTheirKeys() {
        let found = problems(
            """
            [gateway]
            id = "gw"
            [[sensors]]
            id = "a"
            profile = "ds18b20"
            topic = "t/1"
            [traceability]
            issuer_name = "Farm"
            farm = "not a uri"
            time_zone_offset = "7"
            [[traceability.lots]]
            id = "urn:lot:1"
            name = "Lot"
            plot = "urn:plot:1"
            plot_coordinates = "north-ish"
            sensors = ["a", "ghost"]
            [traceability.alarms]
            soil_temperature = { min = 40, max = 10 }
            """
        ).map(\.description)
        #expect(found.contains { $0.hasPrefix("/etc/sawah/sawah.toml:9: [traceability] farm: expected a URI") })
        #expect(found.contains { $0.hasPrefix("/etc/sawah/sawah.toml:10: [traceability] time_zone_offset: expected ±HH:MM") })
        #expect(found.contains { $0.hasPrefix("/etc/sawah/sawah.toml:15: [[traceability.lots]] #1 plot_coordinates: expected \"latitude,longitude\"") })
        #expect(found.contains { $0.hasPrefix("/etc/sawah/sawah.toml:16: [[traceability.lots]] #1 sensors: no sensor \"ghost\"") })
        #expect(found.contains { $0.contains("[traceability.alarms.soil_temperature] max: must be above min") })
        #expect(found.count == 5, "\(found)")
    }

    @Test func sensorsMustNameKnownProfilesAndQuantities() throws {
        let config = try GatewayConfiguration.parse(
            text: """
                [gateway]
                id = "gw"
                [[sensors]]
                id = "a"
                profile = "no-such-profile"
                topic = "t/1"
                [[sensors]]
                id = "b"
                profile = "ds18b20"
                topic = "t/2"
                [sensors.fields]
                air_temperature = "x"
                """, file: "sawah.toml")
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        #expect {
            try library.validate(config)
        } throws: { error in
            let text = "\(error)"
            return text.contains("[[sensors]] #1 profile: no device profile \"no-such-profile\"")
                && text.contains("[[sensors]] #2 air_temperature: profile \"ds18b20\" has no quantity \"air_temperature\"")
        }
    }
}
