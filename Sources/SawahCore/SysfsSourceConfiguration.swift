/// A sensor read from the kernel's sysfs (`[sensors.sysfs]`), polled every `intervalSeconds`:
/// a 1-Wire DS18B20 (`w1`) or a channel set of an IIO device (`iio`).
public struct SysfsSourceConfiguration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case w1
        case iio
    }

    /// IIO: which channel feeds a quantity, and how its kernel unit becomes the profile's.
    public struct Channel: Sendable, Equatable {
        public var channel: String
        public var scale = 1.0
    }

    public var kind: Kind
    /// w1: the `w1_slave` file (`/sys/bus/w1/devices/28-…/w1_slave`); iio: the device folder.
    public var path: String
    public var intervalSeconds = 60
    /// iio: quantity name → channel.
    public var channels: [String: Channel] = [:]

    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// The journal counter of failed reads, shown by `sawah status`.
    public static func errorCounter(sensor: String) -> String { "sysfs_read_errors:\(sensor)" }
}

extension SysfsSourceConfiguration {
    /// Keys of `[sensors.sysfs]`: `kind` ("w1" | "iio") and `path` required; `interval_seconds`
    /// (60); for iio `[sensors.sysfs.channels]` with `quantity = { channel = "in_temp", scale = 0.001 }`.
    static func read(_ section: TOMLSection) -> SysfsSourceConfiguration? {
        let kind = section.choice("kind", Kind.allCases.map(\.rawValue)).flatMap(Kind.init(rawValue:))
        if !section.has("kind") { section.fail("kind", "missing: \"w1\" or \"iio\"") }
        let path = section.requiredString("path")
        guard let kind, let path else {
            section.rejectUnknownKeys()
            return nil
        }
        var result = SysfsSourceConfiguration(kind: kind, path: path)
        if let value = section.int("interval_seconds", range: 1...86_400) { result.intervalSeconds = value }
        if let channels = section.section("channels") {
            for quantity in channels.keys {
                guard let entry = channels.section(quantity), let channel = entry.requiredString("channel") else { continue }
                result.channels[quantity] = Channel(channel: channel, scale: entry.double("scale") ?? 1)
                entry.rejectUnknownKeys()
            }
        }
        if kind == .iio && result.channels.isEmpty {
            section.fail("channels", "an IIO sensor needs [sensors.sysfs.channels]: quantity = { channel = \"in_temp\", scale = 0.001 }")
        }
        section.rejectUnknownKeys()
        return result
    }
}
