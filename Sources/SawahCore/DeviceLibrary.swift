import FoundationEssentials

/// The device profiles in a `devices/` folder: one folder per model holding `profile.toml`,
/// a `README.md` with its datasheet facts and `golden.json` test cases.
public struct DeviceLibrary: Sendable {
    public var directory: String
    public var profiles: [String: DeviceProfile]

    public init(directory: String, profiles: [String: DeviceProfile]) {
        self.directory = directory
        self.profiles = profiles
    }

    /// Loads every profile; problems in any of them are reported together.
    public static func load(directory: String) throws(ConfigErrors) -> DeviceLibrary {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw ConfigErrors([ConfigError(file: directory, key: "", problem: "cannot list the device profiles folder: \(error.localizedDescription)")])
        }
        var profiles: [String: DeviceProfile] = [:]
        var errors: [ConfigError] = []
        for name in names where !name.hasPrefix(".") {
            let file = "\(directory)/\(name)/profile.toml"
            guard FileManager.default.fileExists(atPath: file) else { continue }
            do {
                profiles[name] = try loadProfile(file: file, id: name)
            } catch {
                errors += error.errors
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return DeviceLibrary(directory: directory, profiles: profiles)
    }

    static func loadProfile(file: String, id: String) throws(ConfigErrors) -> DeviceProfile {
        guard let data = FileManager.default.contents(atPath: file),
            let text = String(validating: data, as: UTF8.self)
        else {
            throw ConfigErrors([ConfigError(file: file, key: "", problem: "cannot read the file as UTF-8 text")])
        }
        return try DeviceProfile.parse(text: text, id: id, file: file)
    }

    /// Checks that every sensor in `config` names a profile that exists and only overrides
    /// quantities that profile has.
    public func validate(_ config: GatewayConfiguration) throws(ConfigErrors) {
        var errors: [ConfigError] = []
        for (position, sensor) in config.sensors.enumerated() {
            let key = "[[sensors]] #\(position + 1)"
            guard let profile = profiles[sensor.profile] else {
                errors.append(
                    ConfigError(
                        file: config.file, key: "\(key) profile",
                        problem: "no device profile \"\(sensor.profile)\" in \(directory); known: \(profiles.keys.sorted().joined(separator: ", "))"))
                continue
            }
            for quantity in Set(sensor.fields.keys).union(sensor.calibration.keys).sorted()
            where profile.quantity(named: quantity) == nil {
                errors.append(
                    ConfigError(
                        file: config.file, key: "\(key) \(quantity)",
                        problem: "profile \"\(profile.id)\" has no quantity \"\(quantity)\"; it has: \(profile.quantities.map(\.name).joined(separator: ", "))")
                )
            }
            for quantity in profile.quantities where quantity.calibrationRequired != nil && sensor.calibration[quantity.name] == nil {
                errors.append(
                    ConfigError(
                        file: config.file, key: "\(key) calibration",
                        problem:
                            "profile \"\(profile.id)\" measures \(quantity.name) only once calibrated on site: add [sensors.calibration] \(quantity.name) = { offset = … } (\(quantity.calibrationRequired!))"
                    ))
            }
            if ByteDecoder(rawValue: profile.decoder) != nil, sensor.format != .chirpstack, sensor.format != .ttn {
                errors.append(
                    ConfigError(
                        file: config.file, key: "\(key) format",
                        problem:
                            "profile \"\(profile.id)\" decodes the device's LoRaWAN bytes: set format = \"chirpstack\" or \"ttn\" (the network server's uplink), found \"\(sensor.format.rawValue)\""
                    ))
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }
}
