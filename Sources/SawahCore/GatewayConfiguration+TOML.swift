import FoundationEssentials

extension GatewayConfiguration {
    /// Reads and checks a configuration file. Every problem found is reported at once, each with
    /// the file, line, key and what was expected.
    ///
    /// Keys and defaults:
    /// ```
    /// [gateway]
    /// id            (required) letters, digits, '-', '_'; names the MQTT session and topics
    /// data_dir      "/var/lib/sawah"            journal and keys
    /// devices_dir   "/usr/share/sawah/devices"  device profiles; relative to this file
    /// durability    "process" | "power"         default "process"
    /// clock         "ntp" | "trusted"           default "ntp" (trust the kernel's NTP state)
    /// log_level     "trace" … "critical"        default "info"
    /// [mqtt]
    /// host "127.0.0.1", port 1883, client_id "sawah-<id>", keepalive 30 (seconds),
    /// username, password_file, tls_ca_file, tls_cert_file, tls_key_file, max_batch 2000, commit_delay_ms 20, commit_quiet_ms 2,
    /// subscribe [] (extra filters; unmatched topics are quarantined)
    /// [retention]
    /// max_age_days 400, max_journal_mb 2048, min_free_disk_mb 256, check_interval_seconds 60, reserve_mb 16
    /// [[sensors]]
    /// id, profile (required); topic (required unless [sensors.gpio] or [sensors.sysfs]);
    /// node; time_field; device_id;
    /// format "json" | "esphome" | "tasmota" | "chirpstack" | "ttn" (default "json");
    /// [sensors.fields]       quantity = "json.path"
    /// [sensors.calibration]  quantity = { scale = 1.0, offset = 0.0 }
    /// [sensors.gpio]         see GPIOSourceConfiguration.swift
    /// [sensors.sysfs]        see SysfsSourceConfiguration.swift
    /// [dashboard]            see DashboardConfiguration.swift
    /// [metrics]              address "127.0.0.1", port 9464 (for `sawah metrics serve`)
    /// [web]                  see WebConfiguration.swift (for `sawah web`)
    /// [traceability]         see TraceabilityConfiguration+TOML.swift
    /// [[platforms]]          see PlatformConfiguration+TOML.swift (needs [traceability])
    /// [claims]               see ClaimsConfiguration+TOML.swift (needs [traceability])
    /// [broker]               see BrokerConfiguration.swift (for `sawah broker render`)
    /// ```
    public static func load(path: String) throws(ConfigErrors) -> GatewayConfiguration {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(validating: data, as: UTF8.self) else {
                throw ConfigErrors([ConfigError(file: path, key: "", problem: "the file is not valid UTF-8")])
            }
            text = decoded
        } catch let error as ConfigErrors {
            throw error
        } catch {
            throw ConfigErrors([ConfigError(file: path, key: "", problem: "cannot read the file: \(error.localizedDescription)")])
        }
        return try parse(text: text, file: path)
    }

    /// Parses configuration text; `file` is used in messages and to resolve relative paths.
    public static func parse(text: String, file: String) throws(ConfigErrors) -> GatewayConfiguration {
        let document = try TOMLDocument(text: text, file: file)
        let root = document.rootSection
        var config = GatewayConfiguration(file: file, gatewayID: "", mqtt: MQTT(clientID: ""))
        if let gateway = root.section("gateway") {
            config.readGateway(gateway)
        } else {
            root.fail("gateway", "missing: a [gateway] table with at least `id` is required")
        }
        config.mqtt.clientID = "sawah-\(config.gatewayID)"
        if let mqtt = root.section("mqtt") {
            config.mqtt.read(mqtt)
            // Files named in the config are relative to it, like data_dir and devices_dir.
            config.mqtt.passwordFile = config.mqtt.passwordFile.map(config.resolve)
            config.mqtt.tlsCAFile = config.mqtt.tlsCAFile.map(config.resolve)
            config.mqtt.tlsCertFile = config.mqtt.tlsCertFile.map(config.resolve)
            config.mqtt.tlsKeyFile = config.mqtt.tlsKeyFile.map(config.resolve)
        }
        if let retention = root.section("retention") { config.retention.read(retention) }
        config.sensors = root.sections("sensors").compactMap(Sensor.read)
        config.checkSensorsAreUnique(root)
        if let dashboard = root.section("dashboard") { config.dashboard = DashboardConfiguration.read(dashboard) }
        if let metrics = root.section("metrics") { config.metrics = MetricsConfiguration.read(metrics) }
        if let web = root.section("web") { config.web = WebConfiguration.read(web, config: config) }
        if let traceability = root.section("traceability") {
            config.traceability = TraceabilityConfiguration.read(traceability, config: config)
        }
        if let claims = root.section("claims") { config.claims = ClaimsConfiguration.read(claims, config: config) }
        if let broker = root.section("broker") { config.broker = BrokerConfiguration.read(broker, config: config) }
        config.platforms = root.sections("platforms").compactMap { PlatformConfiguration.read($0, config: config) }
        config.checkPlatforms(root)
        root.rejectUnknownKeys()
        try document.throwIfErrors()
        return config
    }

    private func checkPlatforms(_ root: TOMLSection) {
        var seen: Set<String> = []
        for platform in platforms where !seen.insert(platform.id).inserted {
            root.fail("platforms", "two platforms named \"\(platform.id)\": each needs its own id")
        }
        if !platforms.isEmpty && traceability == nil {
            root.fail("platforms", "platforms receive certified batches: add a [traceability] table")
        }
    }

    private mutating func readGateway(_ section: TOMLSection) {
        if let id = section.requiredString("id") {
            if Identifier.isValid(id) {
                gatewayID = id
            } else {
                section.fail("id", "expected letters, digits, '-' or '_' (it names MQTT topics), found \"\(id)\"")
            }
        }
        if let dir = section.string("data_dir") { dataDirectory = resolve(dir) }
        if let dir = section.string("devices_dir") { devicesDirectory = resolve(dir) }
        if let value = section.choice("durability", ["process", "power"]) {
            durability = Durability(rawValue: value) ?? .process
        }
        if let value = section.choice("clock", ["ntp", "trusted"]) { clock = ClockTrust(rawValue: value) ?? .ntp }
        if let level = section.choice("log_level", ["trace", "debug", "info", "notice", "warning", "error", "critical"]) {
            logLevel = level
        }
        section.rejectUnknownKeys()
    }

    /// Relative paths in the file are relative to the file's own folder, not to the cwd.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder.isEmpty ? path : "\(folder)/\(path)"
    }

    private func checkSensorsAreUnique(_ root: TOMLSection) {
        var seen: Set<String> = []
        for sensor in sensors where !seen.insert(sensor.id).inserted {
            root.fail("sensors", "sensor id \"\(sensor.id)\" is used twice")
        }
    }
}

extension GatewayConfiguration.MQTT {
    mutating func read(_ section: TOMLSection) {
        if let value = section.string("host") { host = value }
        if let value = section.int("port", range: 1...65535) { port = value }
        if let value = section.string("client_id") { clientID = value }
        if let value = section.int("keepalive", range: 5...3600) { keepAliveSeconds = value }
        username = section.string("username")
        passwordFile = section.string("password_file")
        tlsCAFile = section.string("tls_ca_file")
        tlsCertFile = section.string("tls_cert_file")
        tlsKeyFile = section.string("tls_key_file")
        if (tlsCertFile == nil) != (tlsKeyFile == nil) {
            section.fail(
                tlsCertFile == nil ? "tls_cert_file" : "tls_key_file",
                "tls_cert_file and tls_key_file go together: give both or neither")
        }
        if tlsCertFile != nil, tlsCAFile == nil {
            section.fail("tls_ca_file", "missing: a client certificate needs tls_ca_file to verify the broker")
        }
        if let filters = section.strings("subscribe") {
            for filter in filters {
                if let problem = TopicFilter.problem(in: filter) { section.fail("subscribe", problem) }
            }
            extraSubscriptions = filters
        }
        if let value = section.int("max_batch", range: 1...100_000) { maxBatch = value }
        if let value = section.int("commit_delay_ms", range: 0...5_000) { commitDelayMilliseconds = value }
        if let value = section.int("commit_quiet_ms", range: 0...5_000) { commitQuietMilliseconds = value }
        if commitQuietMilliseconds > commitDelayMilliseconds {
            section.fail(
                "commit_quiet_ms",
                "\(commitQuietMilliseconds) is longer than commit_delay_ms (\(commitDelayMilliseconds)); a batch never waits longer than the delay")
        }
        section.rejectUnknownKeys()
    }
}

extension GatewayConfiguration.Retention {
    mutating func read(_ section: TOMLSection) {
        if let value = section.int("max_age_days", range: 0...36500) { maxAgeDays = value }
        if let value = section.int("max_journal_mb", range: 0...10_000_000) { maxJournalMB = value }
        if let value = section.int("min_free_disk_mb", range: 0...10_000_000) { minFreeDiskMB = value }
        if let value = section.int("check_interval_seconds", range: 1...86400) { checkIntervalSeconds = value }
        if let value = section.int("reserve_mb", range: 0...4096) { reserveMB = value }
        section.rejectUnknownKeys()
    }
}

extension GatewayConfiguration.Sensor {
    static func read(_ section: TOMLSection) -> Self? {
        let id = section.requiredString("id")
        let profile = section.requiredString("profile")
        let gpio = section.section("gpio").flatMap(GPIOSourceConfiguration.read)
        let sysfs = section.section("sysfs").flatMap(SysfsSourceConfiguration.read)
        // GPIO and sysfs sensors have no topic; their readings carry "gpio:…" or "sysfs:…".
        let local = section.has("gpio") || section.has("sysfs")
        let topic = local ? section.string("topic") : section.requiredString("topic")
        if let id, !Identifier.isValid(id) {
            section.fail("id", "expected letters, digits, '-' or '_', found \"\(id)\"")
        }
        if let topic, let problem = TopicFilter.problem(in: topic) {
            section.fail("topic", problem)
        }
        var sensor = Self(id: id ?? "", profile: profile ?? "", topic: topic ?? "")
        sensor.gpio = gpio
        sensor.sysfs = sysfs
        if local, topic != nil { section.fail("topic", "a GPIO or sysfs sensor has no MQTT topic: give [sensors.gpio], [sensors.sysfs] or topic, one of them") }
        if section.has("gpio") && section.has("sysfs") { section.fail("sysfs", "a sensor is on a GPIO line or in sysfs, not both") }
        sensor.node = section.string("node")
        sensor.timeField = section.string("time_field")
        sensor.deviceID = section.string("device_id")
        if let format = section.choice("format", PayloadFormat.allCases.map(\.rawValue)) {
            sensor.format = PayloadFormat(rawValue: format) ?? .json
        }
        if let fields = section.section("fields") {
            for quantity in fields.keys {
                if let path = fields.string(quantity) { sensor.fields[quantity] = path }
            }
        }
        if let calibration = section.section("calibration") {
            for quantity in calibration.keys {
                guard let entry = calibration.section(quantity) else { continue }
                let scale = entry.double("scale") ?? 1.0
                let offset = entry.double("offset") ?? 0.0
                if scale == 0 { entry.fail("scale", "a scale of 0 would erase every reading") }
                sensor.calibration[quantity] = GatewayConfiguration.Calibration(scale: scale, offset: offset)
                entry.rejectUnknownKeys()
            }
        }
        section.rejectUnknownKeys()
        guard id != nil, profile != nil, topic != nil || gpio != nil || sysfs != nil else { return nil }
        return sensor
    }
}
