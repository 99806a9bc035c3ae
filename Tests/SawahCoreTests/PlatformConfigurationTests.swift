import Testing

@testable import SawahCore

@Suite struct PlatformConfigurationTests {
    static let base = """
        [gateway]
        id = "gw1"
        [traceability]
        issuer_name = "Farm"

        """

    func problems(_ text: String) -> [String] {
        do {
            _ = try GatewayConfiguration.parse(text: text, file: "/etc/sawah/sawah.toml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func platformsAreReadWithDefaultsAndRelativePaths() throws {
        let config = try GatewayConfiguration.parse(
            text: Self.base + """
                [[platforms]]
                id = "asean-trace"
                kind = "epcis"
                url = "https://epcis.example.org/api/"
                ca_file = "pki/ca.pem"
                client_certificate = true
                token_file = "/etc/sawah/token"
                gzip = true
                max_bytes_per_second = 20000

                [[platforms]]
                id = "buyer"
                kind = "credentials"
                url = "https://buyer.example.com/dpp/credentials"
                api_key_file = "buyer.key"
                api_key_header = "X-Buyer-Key"
                concurrency = 4
                """, file: "/etc/sawah/sawah.toml")
        #expect(config.platforms.count == 2)
        let epcis = config.platforms[0]
        #expect(epcis.kind == .epcis && epcis.url == "https://epcis.example.org/api", "a trailing slash is dropped from the EPCIS base")
        #expect(epcis.caFile == "/etc/sawah/pki/ca.pem" && epcis.clientCertificate && epcis.gzip)
        #expect(epcis.authentication == .bearer(tokenFile: "/etc/sawah/token"))
        #expect(epcis.maxBytesPerSecond == 20_000 && epcis.concurrency == 2 && epcis.requestTimeoutSeconds == 60)
        #expect(config.platforms[1].authentication == .apiKey(header: "X-Buyer-Key", keyFile: "/etc/sawah/buyer.key"))
        #expect(config.platforms[1].concurrency == 4)
    }

    @Test func everyMistakeIsNamedWithItsLine() {
        let found = problems(
            Self.base + """
                [[platforms]]
                id = "a b"
                kind = "ftp"
                url = "ftp://x"
                token_file = "t"
                api_key_file = "k"
                concurrency = 0
                retry_initial_seconds = 10.0
                retry_max_seconds = 5.0
                colour = "red"

                [[platforms]]
                id = "dup"
                kind = "credentials"
                url = "https://a"

                [[platforms]]
                id = "dup"
                kind = "epcis"
                url = "https://b"

                [[platforms]]
                id = "no-kind"
                url = "https://c"
                """)
        let text = found.joined(separator: "\n")
        #expect(text.contains("id: expected letters, digits"), "\(text)")
        #expect(text.contains("kind: expected one of \"epcis\", \"credentials\", \"claims\", found \"ftp\""), "\(text)")
        #expect(text.contains("url: expected an http:// or https:// URL, found \"ftp://x\""), "\(text)")
        #expect(text.contains("api_key_file: give token_file or api_key_file, not both"), "\(text)")
        #expect(text.contains("concurrency"), "\(text)")
        #expect(text.contains("retry_max_seconds: must be at least retry_initial_seconds"), "\(text)")
        #expect(text.contains("colour"), "\(text)")
        #expect(text.contains("kind: missing"), "\(text)")
        #expect(text.contains("two platforms named \"dup\""), "\(text)")
        #expect(found.allSatisfy { $0.hasPrefix("/etc/sawah/sawah.toml:") }, "each problem names the file and line: \(found)")
    }

    @Test func platformsNeedTraceability() {
        let found = problems("[gateway]\nid = \"gw1\"\n[[platforms]]\nid = \"p\"\nkind = \"epcis\"\nurl = \"https://p\"\n")
        #expect(found.contains { $0.contains("platforms receive certified batches: add a [traceability] table") }, "\(found)")
    }
}

@Suite struct GPIOSensorConfigurationTests {
    @Test func aGPIOSensorIsReadWithDefaultsAndItsMistakesNamed() throws {
        let config = try GatewayConfiguration.parse(
            text: """
                [gateway]
                id = "gw1"
                [[sensors]]
                id = "rain"
                profile = "tipping-bucket-rain-gauge"
                [sensors.gpio]
                chip = "gpiochip0"
                line = 17
                per_pulse = 0.2794
                [[sensors]]
                id = "wind"
                profile = "cup-anemometer"
                [sensors.gpio]
                chip = "gpiochip0"
                line = 18
                measure = "rate"
                per_pulse = 0.667
                [[sensors]]
                id = "tank"
                profile = "float-switch"
                [sensors.gpio]
                chip = "pinctrl-bcm2711"
                line = "TANK_FULL"
                kind = "level"
                bias = "pull-up"
                active_low = true
                """, file: "/etc/sawah/sawah.toml")
        let rain = try #require(config.sensors[0].gpio)
        #expect(rain.lineOffset == 17 && rain.kind == .pulse && rain.edge == "falling" && rain.perPulse == 0.2794 && rain.reportSeconds == 60)
        #expect(config.sensors[1].gpio?.measure == "rate" && rain.measure == "amount")
        let tank = try #require(config.sensors[2].gpio)
        #expect(tank.lineName == "TANK_FULL" && tank.kind == .level && tank.activeLow && tank.bias == "pull-up")
        #expect(SensorRouter(config: config, library: DeviceLibrary(directory: "", profiles: [:])).subscriptions.isEmpty, "GPIO sensors subscribe to nothing")

        do {
            _ = try GatewayConfiguration.parse(
                text: """
                    [gateway]
                    id = "gw1"
                    [[sensors]]
                    id = "rain"
                    profile = "tipping-bucket-rain-gauge"
                    topic = "farm/rain"
                    [sensors.gpio]
                    chip = "gpiochip0"
                    kind = "counter"
                    per_pulse = -1.0
                    """, file: "/etc/sawah/sawah.toml")
            Issue.record("a broken [sensors.gpio] must be refused")
        } catch {
            let text = "\(error)"
            #expect(text.contains("line: missing: the line's offset (17) or name"), "\(text)")
            #expect(text.contains("kind: expected one of \"pulse\", \"level\""), "\(text)")
            #expect(text.contains("per_pulse: must be above 0"), "\(text)")
            #expect(text.contains("a GPIO or sysfs sensor has no MQTT topic"), "\(text)")
        }
    }
}
