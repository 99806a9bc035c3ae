import SawahCore

/// What a device profile becomes in an ESPHome config: the hubs it needs (1-Wire, I²C,
/// ADS1115) and its `sensor:` entries, on the template's pins. Each value is published to the
/// topic the gateway's sensor expects, with QoS 1 so the broker queues it while sawahd is away.
struct ESPHomeComponents {
    struct Pins {
        var oneWire: String
        var adc: [String]
        var pulse: [String]
        var i2cSDA: String
        var i2cSCL: String
        var ultrasonicTrigger: String
        var ultrasonicEcho: String
    }

    var pins: Pins
    let updateSeconds: Int
    private(set) var needsOneWire = false
    private(set) var needsI2C = false
    private(set) var needsADS1115 = false
    private(set) var sensorLines: [String] = []
    private var usedUltrasonic = false

    init(pins: Pins, updateSeconds: Int) {
        self.pins = pins
        self.updateSeconds = updateSeconds
    }

    /// Adds one gateway sensor; `topic(field)` is the state topic for a value.
    mutating func add(sensor: GatewayConfiguration.Sensor, profile: DeviceProfile, topic: (String) -> String) throws(ProvisioningError) {
        func field(_ quantity: String) -> String {
            let q = profile.quantity(named: quantity)
            return sensor.fields[quantity] ?? q?.field ?? quantity
        }
        func entity(_ quantity: String, indent: String = "    ") -> [String] {
            ["\(indent)name: \"\(sensor.id) \(quantity)\"", "\(indent)state_topic: \(topic(field(quantity)))", "\(indent)qos: 1"]
        }
        let interval = "    update_interval: \(updateSeconds)s"
        switch profile.id {
        case "ds18b20":
            needsOneWire = true
            sensorLines += ["  - platform: dallas_temp"] + entity("soil_temperature") + [interval]
        case "capacitive-soil-moisture", "leaf-wetness":
            let (quantity, dry, wet) = profile.id == "leaf-wetness" ? ("leaf_wetness", "0.445", "1.40") : ("soil_moisture", "2.80", "1.40")
            sensorLines +=
                ["  - platform: adc", "    pin: \(try take(\.adc, sensor))", "    attenuation: 12db"] + entity(quantity) + [
                    interval,
                    "    filters:", "      - calibrate_linear:", "          - \(dry) -> 0.0", "          - \(wet) -> 100.0",
                    "      - clamp:", "          min_value: 0", "          max_value: 100"
                ]
        case "bme280", "sht31":
            needsI2C = true
            let platform = profile.id == "bme280" ? ["  - platform: bme280_i2c", "    address: 0x76"] : ["  - platform: sht3xd", "    address: 0x44"]
            sensorLines += platform + [interval]
            for (key, quantity) in [("temperature", "air_temperature"), ("humidity", "relative_humidity"), ("pressure", "air_pressure")]
            where profile.quantity(named: quantity) != nil {
                sensorLines += ["    \(key):"] + entity(quantity, indent: "      ")
            }
        case "tipping-bucket-rain-gauge", "cup-anemometer", "yf-s201-flow-meter":
            let quantity = ["tipping-bucket-rain-gauge": "rainfall", "cup-anemometer": "wind_speed", "yf-s201-flow-meter": "water_flow"][profile.id]!
            // Reed switches bounce for milliseconds: debounce in software (the ESP32's hardware
            // counter filters at most 13 µs). The flow meter's Hall output is clean and fast.
            let debounce =
                [
                    "tipping-bucket-rain-gauge": ["    use_pcnt: false", "    internal_filter: 20ms"],
                    "cup-anemometer": ["    use_pcnt: false", "    internal_filter: 1ms"]
                ][profile.id] ?? ["    internal_filter: 13us"]
            sensorLines +=
                ["  - platform: pulse_counter", "    pin:", "      number: \(try take(\.pulse, sensor))", "      mode: INPUT_PULLUP"]
                + debounce + entity(quantity) + [interval]
            if profile.id == "tipping-bucket-rain-gauge" {
                // pulse_counter reports a rate per minute; the gateway wants the tips of the interval.
                sensorLines += ["    unit_of_measurement: tips", "    filters:", "      - multiply: \(Double(updateSeconds) / 60)"]
            }
            if profile.id == "yf-s201-flow-meter" {
                sensorLines += ["    total:"] + entity("water_volume_total", indent: "      ")
            }
        case "wind-vane":
            sensorLines +=
                ["  - platform: adc", "    pin: \(try take(\.adc, sensor))", "    attenuation: 12db"] + entity("wind_direction") + [
                    interval,
                    "    unit_of_measurement: \"°\"", "    filters:", "      - lambda: |-",
                    "          // Argent 80422 vane with a 10 kΩ pull-up to 3.3 V: nearest of the 16 voltages.",
                    "          static const float volts[16] = {2.53, 1.31, 1.49, 0.27, 0.30, 0.21, 0.59, 0.41, 0.92, 0.79, 2.03, 1.93, 3.05, 2.67, 2.86, 2.26};",
                    "          int best = 0;",
                    "          for (int i = 1; i < 16; i++) if (fabsf(x - volts[i]) < fabsf(x - volts[best])) best = i;",
                    "          return best * 22.5f;"
                ]
        case "jsn-sr04t-water-level":
            guard !usedUltrasonic else { throw .other("sensor \(sensor.id): the template has one ultrasonic trigger/echo pair, already used") }
            usedUltrasonic = true
            sensorLines +=
                [
                    "  - platform: ultrasonic", "    trigger_pin: \(pins.ultrasonicTrigger)", "    echo_pin: \(pins.ultrasonicEcho)",
                    "    timeout: 6m"
                ] + entity("water_distance") + [interval]
        case "apogee-sp110-pyranometer":
            needsI2C = true
            needsADS1115 = true
            sensorLines +=
                ["  - platform: ads1115", "    multiplexer: A0_A1", "    gain: 0.256", "    unit_of_measurement: mV"] + entity("solar_radiation") + [
                    interval,
                    "    filters:", "      - multiply: 1000", "      - clamp:", "          min_value: 0"
                ]
        default:
            throw .other(
                "sensor \(sensor.id): no ESPHome component for profile \(profile.id) (\(profile.model)); wire it by hand, publishing to \(topic("<field>"))")
        }
    }

    private mutating func take(_ pool: WritableKeyPath<Pins, [String]>, _ sensor: GatewayConfiguration.Sensor) throws(ProvisioningError) -> String {
        guard !pins[keyPath: pool].isEmpty else { throw .other("sensor \(sensor.id): the template has no free pin left of that kind") }
        return pins[keyPath: pool].removeFirst()
    }

    /// The hubs and the sensor list, as YAML.
    var yaml: String {
        var lines: [String] = []
        if needsOneWire { lines += ["", "one_wire:", "  - platform: gpio", "    pin: \(pins.oneWire)"] }
        if needsI2C { lines += ["", "i2c:", "  sda: \(pins.i2cSDA)", "  scl: \(pins.i2cSCL)"] }
        if needsADS1115 { lines += ["", "ads1115:", "  - address: 0x48"] }
        if !sensorLines.isEmpty { lines += ["", "sensor:"] + sensorLines }
        return lines.joined(separator: "\n")
    }
}
