import Foundation
import TestSupport
import Testing

@testable import SawahCore

/// Sysfs sensors against fixture trees that mirror the kernel's files, error cases included.
@Suite struct SysfsSensorTests {
    @Test func aDS18B20ReadingIsCheckedAndConverted() {
        let good = "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n"
        #expect(OneWireThermometer.parse(good) == .success(23.125))
        let negative = "5e ff 4b 46 7f ff 02 10 b6 : crc=b6 YES\n5e ff 4b 46 7f ff 02 10 b6 t=-10125\n"
        #expect(OneWireThermometer.parse(negative) == .success(-10.125))
    }

    @Test(arguments: [
        ("72 01 4b 46 7f ff 0e 10 57 : crc=57 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n", "CRC error reported by the kernel"),
        ("72 01 4b 46 7f ff 0e 10 58 : crc=58 YES\n72 01 4b 46 7f ff 0e 10 58 t=23125\n", "scratchpad CRC does not match"),
        ("50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n", "85 °C power-on value"),
        ("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n", "line(s), expected 2"),
        ("", "line(s), expected 2"),
        ("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=\n", "no t= value")
    ])
    func aBadDS18B20ReadingIsRefusedWithTheReason(text: String, reason: String) {
        guard case .failure(let problem) = OneWireThermometer.parse(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(problem.description.contains(reason), "\(problem)")
    }

    @Test func iioChannelsApplyOffsetAndScaleFromTheirOwnOrTheTypeWideFiles() throws {
        let directory = try TemporaryDirectory(prefix: "iio")
        defer { directory.remove() }
        let device = directory.file("iio:device0")
        try FileManager.default.createDirectory(atPath: device, withIntermediateDirectories: true)
        // A BME280 through bmp280.ko: temperature in millidegrees, humidity in milli-percent, pressure in kPa.
        for (name, value) in [
            ("in_temp_input", "23450"), ("in_temp_raw", "23450"), ("in_temp_scale", "0.001"),
            ("in_humidityrelative_raw", "61230"), ("in_humidityrelative_scale", "0.001"),
            ("in_pressure_raw", "100.8345"), ("in_pressure_scale", "10"),
            // An ADS1115 channel: shared scale for all voltage channels, its own offset.
            ("in_voltage0_raw", "11520"), ("in_voltage_scale", "0.125000000"), ("in_voltage0_offset", "-16"),
            ("in_voltage1_raw", "garbage")
        ] {
            try value.write(toFile: "\(device)/\(name)", atomically: true, encoding: .utf8)
        }
        #expect(IIOChannel(device: device, channel: "in_temp").read() == .success(23.45))
        #expect(IIOChannel(device: device, channel: "in_humidityrelative").read() == .success(61.23))
        #expect(IIOChannel(device: device, channel: "in_pressure").read() == .success(1008.345))
        #expect(IIOChannel(device: device, channel: "in_voltage0").read() == .success(1438))
        guard case .failure(let garbage) = IIOChannel(device: device, channel: "in_voltage1").read() else {
            Issue.record("garbage accepted")
            return
        }
        #expect(garbage.description.contains("in_voltage1_raw holds \"garbage\", not a number"))
        guard case .failure(let gone) = IIOChannel(device: directory.file("iio:device7"), channel: "in_temp").read() else {
            Issue.record("a missing device read")
            return
        }
        #expect(gone.description.contains("missing or unreadable (device gone?)"))
    }
}
