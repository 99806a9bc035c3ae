import SawahCore

extension FirmwareRenderer {
    /// Tasmota console commands for the node: MQTT broker, its credentials and topic,
    /// TelePeriod (the update interval) and DeepSleepTime, with a note per sensor on the GPIO
    /// to configure and the JSON path the gateway reads. Paste the `Backlog` lines into the
    /// node's console (or send them over its serial port).
    public func tasmota(node: String, password: String, options: Options) throws(ProvisioningError) -> String {
        var notes: [String] = []
        let sensors = try sensors(of: node)
        try refusePulsesAsleep(sensors, options: options, firmware: "Tasmota (its counters stop in DeepSleepTime)")
        for (sensor, profile) in sensors {
            guard sensor.format == .tasmota else {
                throw .other("sensor \(sensor.id): a Tasmota node's sensors need format = \"tasmota\" (found \"\(sensor.format.rawValue)\")")
            }
            guard sensor.topic == "tele/\(node)/SENSOR" else {
                throw .other("sensor \(sensor.id): a Tasmota node publishes to tele/\(node)/SENSOR; the sensor's topic is \"\(sensor.topic)\"")
            }
            let paths = profile.quantities.map { "\($0.name) ← \(sensor.fields[$0.name] ?? $0.field)" }.joined(separator: ", ")
            notes.append(
                "# \(sensor.id): \(profile.manufacturer) \(profile.model) — \(Self.tasmotaWiring[profile.id] ?? "see devices/\(profile.id)/README.md"); the gateway reads \(paths)"
            )
        }
        let telePeriod = max(10, min(3600, options.updateSeconds))
        var lines =
            [
                "# Tasmota commands for \(node), written by `sawah firmware render` from \(config.file) (mode 0600:",
                "# it holds the node's MQTT password). Paste each Backlog line into the node's console."
            ] + notes + [
                "Backlog MqttHost \(options.brokerHost); MqttPort \(config.broker.port); MqttUser \(node); MqttPassword \(password); MqttClient \(node)",
                "Backlog Topic \(node); FullTopic %prefix%/%topic%/; TelePeriod \(telePeriod); SetOption4 0"
            ]
        if let minutes = options.deepSleepMinutes {
            lines.append("DeepSleepTime \(max(10, minutes * 60))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Where each sensor goes in Tasmota's Configure Module page.
    static let tasmotaWiring: [String: String] = [
        "ds18b20": "GPIO4 as DS18x20 (4.7 kΩ pull-up to 3.3 V)",
        "sht31": "I²C: GPIO4 as I2C SDA, GPIO5 as I2C SCL (address 0x44)",
        "bme280": "I²C: GPIO4 as I2C SDA, GPIO5 as I2C SCL (address 0x76)",
        "capacitive-soil-moisture": "A0 as ADC Input; map it to % with AdcParam",
        "tipping-bucket-rain-gauge": "GPIO14 as Counter1 (CounterDebounce 20)"
    ]
}
