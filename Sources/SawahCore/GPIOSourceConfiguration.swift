/// A sensor wired to one of the gateway's own GPIO lines (`[sensors.gpio]`), read through the
/// kernel's GPIO character device instead of MQTT.
public struct GPIOSourceConfiguration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Counts pulses (rain gauge tips, anemometer turns, flow meter pulses) and reports the
        /// interval's count times `perPulse`; the total is checkpointed in the journal.
        case pulse
        /// Follows a level (float switch, rain sensor output, pump or gate status): reported on
        /// every change and every `reportSeconds`, as 1 or 0.
        case level
    }

    /// A chip name (`gpiochip0`), path, label or number.
    public var chip: String
    /// A line offset, or its name (`gpioinfo` shows both).
    public var lineOffset: Int?
    public var lineName: String?
    public var kind = Kind.pulse
    /// "rising", "falling" or "both" for pulses; levels always follow both edges.
    public var edge = "falling"
    /// "as-is", "disable", "pull-up" or "pull-down".
    public var bias = "as-is"
    public var activeLow = false
    /// Edges within this long of a counted one are contact bounce.
    public var debounceMilliseconds = 10.0
    public var reportSeconds = 60
    /// The value of one pulse in the profile quantity's unit (mm per tip, litres per pulse),
    /// or with `measure = "rate"` the value of one pulse per second (m/s per Hz).
    public var perPulse = 1.0
    /// "amount": the interval's pulses × perPulse (rain, volume); "rate": pulses per second ×
    /// perPulse (wind speed, flow rate).
    public var measure = "amount"

    public init(chip: String) {
        self.chip = chip
    }

    /// The journal counter holding a pulse sensor's running total.
    public static func counterName(sensor: String) -> String { "gpio_pulses:\(sensor)" }
}

extension GPIOSourceConfiguration {
    /// Keys of `[sensors.gpio]`: `chip` and `line` (an offset or a name) required; `kind`
    /// ("pulse"), `edge` ("falling"), `bias` ("as-is"), `active_low` (false), `debounce_ms`
    /// (10), `report_seconds` (60), `per_pulse` (1.0), `measure` ("amount" | "rate").
    static func read(_ section: TOMLSection) -> GPIOSourceConfiguration? {
        guard let chip = section.requiredString("chip") else { return nil }
        var result = GPIOSourceConfiguration(chip: chip)
        if !section.has("line") {
            section.fail("line", "missing: the line's offset (17) or name (\"RAIN\")")
        } else if section.holdsString("line") {
            result.lineName = section.string("line")
        } else {
            result.lineOffset = section.int("line", range: 0...1023)
        }
        if let kind = section.choice("kind", Kind.allCases.map(\.rawValue)) { result.kind = Kind(rawValue: kind) ?? .pulse }
        if let edge = section.choice("edge", ["rising", "falling", "both"]) { result.edge = edge }
        if let bias = section.choice("bias", ["as-is", "disable", "pull-up", "pull-down"]) { result.bias = bias }
        if let value = section.bool("active_low") { result.activeLow = value }
        if let value = section.double("debounce_ms", range: 0...10_000) { result.debounceMilliseconds = value }
        if let value = section.int("report_seconds", range: 1...86_400) { result.reportSeconds = value }
        if let value = section.choice("measure", ["amount", "rate"]) { result.measure = value }
        if let value = section.double("per_pulse") {
            if value > 0 { result.perPulse = value } else { section.fail("per_pulse", "must be above 0, found \(value)") }
        }
        section.rejectUnknownKeys()
        return result
    }
}

extension GatewayConfiguration.Sensor {
    /// Where the sensor's readings come from, for people: its MQTT topic, `gpio:<chip>/<line>`
    /// or `sysfs:<path>`.
    public var origin: String {
        if let gpio { return "gpio:\(gpio.chip)/\(gpio.lineName ?? String(gpio.lineOffset ?? 0))" }
        if let sysfs { return "sysfs:\(sysfs.path)" }
        return topic
    }
}
