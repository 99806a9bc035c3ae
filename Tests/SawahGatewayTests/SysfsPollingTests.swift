import Foundation
import Logging
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahGateway
@testable import SawahJournal

/// sawahd's sysfs polling against a fixture tree that mirrors the kernel's files: good
/// readings stored, bad ones named and counted, a vanished sensor read again when it returns.
@Suite struct SysfsPollingTests {
    /// The polling service for a config of `sensors`, over a fresh journal in `directory`.
    /// The poller and the sink it stores through, as sawahd wires them.
    struct Rig {
        let service: SysfsPollingService
        let sink: ReadingSink

        func poll(_ index: Int) async -> [String] { await service.poll(index, into: sink) }
    }

    static func service(in directory: TemporaryDirectory, sensors: String) throws -> (GatewayConfiguration, Rig) {
        let text = """
            [gateway]
            id = "gw1"
            data_dir = "data"
            devices_dir = "\(ProjectPaths.root)/devices"
            \(sensors)
            """
        try directory.write(text, to: "sawah.toml")
        let config = try GatewayConfiguration.parse(text: text, file: directory.file("sawah.toml"))
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        try library.validate(config)
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let journal = try Journal(path: config.journalPath, durability: .process)
        let sink = ReadingSink(store: journal.ingest, logger: Logger(label: "test"))
        return (config, Rig(service: SysfsPollingService(config: config, library: library, logger: Logger(label: "test")), sink: sink))
    }

    /// `[sensors.calibration]` applies to a sysfs sensor as to an MQTT one (it used to be
    /// accepted and ignored).
    @Test func calibrationAppliesToSysfsReadings() async throws {
        let directory = try TemporaryDirectory(prefix: "sysfs")
        defer { directory.remove() }
        let w1 = directory.file("w1/28-0316a2795cff")
        try FileManager.default.createDirectory(atPath: w1, withIntermediateDirectories: true)
        try "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n".write(toFile: w1 + "/w1_slave", atomically: true, encoding: .utf8)
        let (config, service) = try Self.service(
            in: directory,
            sensors: """
                [[sensors]]
                id = "soil"
                profile = "ds18b20"
                [sensors.sysfs]
                kind = "w1"
                path = "\(w1)/w1_slave"
                [sensors.calibration]
                soil_temperature = { scale = 1.01, offset = -0.4 }
                """)
        #expect(await service.poll(0).isEmpty)
        let stored = try JournalReader(path: config.journalPath).readings(afterSeq: 0, limit: 10).map(\.reading)
        #expect(stored.map(\.value) == [22.95625])
        #expect(stored.first?.quality.contains(.calibrated) == true)
    }

    @Test func oneWireAndIIOSensorsArePolledAndTheirFailuresNamedAndCounted() async throws {
        let directory = try TemporaryDirectory(prefix: "sysfs")
        defer { directory.remove() }
        let w1 = directory.file("w1/28-0316a2795cff")
        let iio = directory.file("iio/iio:device0")
        try FileManager.default.createDirectory(atPath: w1, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: iio, withIntermediateDirectories: true)
        try "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n".write(toFile: w1 + "/w1_slave", atomically: true, encoding: .utf8)
        for (name, value) in [
            ("in_temp_raw", "24510"), ("in_temp_scale", "1"), ("in_humidityrelative_raw", "58200"),
            ("in_humidityrelative_scale", "1"), ("in_pressure_raw", "100.81"), ("in_pressure_scale", "1")
        ] {
            try value.write(toFile: "\(iio)/\(name)", atomically: true, encoding: .utf8)
        }
        let (config, service) = try Self.service(
            in: directory,
            sensors: """
                [[sensors]]
                id = "soil"
                profile = "ds18b20"
                [sensors.sysfs]
                kind = "w1"
                path = "\(w1)/w1_slave"
                interval_seconds = 30
                [[sensors]]
                id = "air"
                profile = "bme280"
                [sensors.sysfs]
                kind = "iio"
                path = "\(iio)"
                [sensors.sysfs.channels]
                air_temperature = { channel = "in_temp", scale = 0.001 }
                relative_humidity = { channel = "in_humidityrelative", scale = 0.001 }
                air_pressure = { channel = "in_pressure", scale = 10 }
                """)

        let first = await service.poll(0)
        let second = await service.poll(1)
        #expect(first.isEmpty && second.isEmpty)
        let reader = try JournalReader(path: config.journalPath)
        #expect(
            try reader.readings(afterSeq: 0, limit: 10).map { "\($0.reading.sensor) \($0.reading.quantity)=\($0.reading.value)" }
                == ["soil soil_temperature=23.125", "air air_temperature=24.51", "air relative_humidity=58.2", "air air_pressure=1008.1"])

        // A CRC error, the power-on value, a vanished probe: named, counted, nothing stored.
        try "72 01 4b 46 7f ff 0e 10 57 : crc=57 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n".write(toFile: w1 + "/w1_slave", atomically: true, encoding: .utf8)
        #expect(await service.poll(0).first?.contains("CRC error reported by the kernel") == true)
        try "50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n".write(toFile: w1 + "/w1_slave", atomically: true, encoding: .utf8)
        #expect(await service.poll(0).first?.contains("85 °C power-on value") == true)
        try FileManager.default.removeItem(atPath: w1 + "/w1_slave")
        #expect(await service.poll(0).first?.contains("missing or unreadable (sensor vanished from the bus?)") == true)
        #expect(try reader.counters()["sysfs_read_errors:soil"] == 3)
        let quarantined = try reader.quarantine(limit: 10).map(\.record)
        #expect(quarantined.count == 3 && quarantined.allSatisfy { $0.source == "sysfs:\(w1)/w1_slave" })
        #expect(
            quarantined.contains { $0.reason.contains("CRC error") && String(decoding: $0.payload, as: UTF8.self).contains("crc=57 NO") },
            "the kernel's text is kept with the reason")
        // It comes back and is read again.
        try "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n".write(toFile: w1 + "/w1_slave", atomically: true, encoding: .utf8)
        #expect(await service.poll(0).isEmpty)
        // An IIO value outside the profile's range, and a vanished device.
        try "900000".write(toFile: "\(iio)/in_temp_raw", atomically: true, encoding: .utf8)
        #expect(await service.poll(1) == ["air_temperature = 900.0 CEL is outside the valid range -40.0…85.0 for BME280"])
        try FileManager.default.removeItem(atPath: iio)
        #expect(await service.poll(1).count == 3)
        #expect(try reader.readings(afterSeq: 0, limit: 100).count == 7, "4 at first, the returning probe, and the two good IIO values")
    }
}
