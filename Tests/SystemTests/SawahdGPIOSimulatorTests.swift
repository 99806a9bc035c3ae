import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// sawahd on a real kernel's simulated GPIO chip, inside scripts/gpio-sim-test's QEMU guest
/// (the wrapper's own gpio-sim tests are SawahGPIOTests' GPIOSimulatorTests; the guest runs
/// every suite whose name matches GPIOSimulatorTests).
@Suite(.serialized, .enabled(if: GPIOSimulator.chip != nil, "runs inside scripts/gpio-sim-test's QEMU guest"))
struct SawahdGPIOSimulatorTests {
    /// sawahd itself: a rain gauge on a simulated line counted across a restart (SIGTERM
    /// reports and checkpoints), and a sensor on a missing chip logged while the rest runs.
    @Test func sawahdCountsPulsesAcrossARestartAndNamesAMissingChip() throws {
        let directory = try TemporaryDirectory(prefix: "sawah-gpio")
        defer { directory.remove() }
        try directory.write(
            """
            [gateway]
            id = "gpio-gw"
            data_dir = "data"
            devices_dir = "\(ProjectPaths.root)/devices"
            [mqtt]
            port = 1
            [dashboard]
            enabled = false
            [[sensors]]
            id = "rain"
            profile = "tipping-bucket-rain-gauge"
            [sensors.gpio]
            chip = "\(GPIOSimulator.chip!)"
            line = 5
            edge = "rising"
            debounce_ms = 5
            report_seconds = 1
            per_pulse = 0.2794
            [[sensors]]
            id = "lost"
            profile = "tipping-bucket-rain-gauge"
            [sensors.gpio]
            chip = "gpiochip-nowhere"
            line = 0
            """, to: "sawah.toml")
        try GPIOSimulator.drive(5, high: false)
        let daemon = DaemonProcess(
            executable: try #require(ProjectPaths.executable("sawahd")),
            arguments: ["--config", directory.file("sawah.toml")], logPath: directory.file("sawahd.log"))
        for (round, pulses) in [30, 20].enumerated() {
            try daemon.start()
            let deadline = Date().addingTimeInterval(30)
            // Each start logs the line once more.
            while daemon.log.components(separatedBy: "GPIO sensors started").count < round + 2 && Date() < deadline { usleep(50_000) }
            usleep(500_000)
            if round == 0, let pid = daemon.pid {
                // sawahd's whole CPU use while nothing happens on the line (its MQTT reconnect
                // attempts, retention and watchdog included): the GPIO wait itself is poll().
                let before = GPIOSimulator.cpuTicks(pid)
                usleep(10_000_000)
                let ticks = GPIOSimulator.cpuTicks(pid) - before
                let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
                print(
                    "gpio-sim: sawahd CPU while waiting for edges: \(Int(Double(ticks) / ticksPerSecond * 1000)) ms in 10 s (\(Int(Double(ticks) / ticksPerSecond * 6000)) ms per minute, under emulation)"
                )
            }
            try GPIOSimulator.pulse(5, count: pulses, spacing: 20_000)
            usleep(3_000_000)
            #expect(daemon.stop() == 0, "\(daemon.log)")
        }
        let sql = { (query: String) throws -> String in
            try ChildProcess.run("/usr/bin/sqlite3", [directory.file("data/journal.sqlite"), query]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try sql("SELECT value FROM counters WHERE name = 'gpio_pulses:rain'") == "50", "\(daemon.log)")
        #expect(try sql("SELECT printf('%.4f', SUM(value)) FROM reading_rows WHERE sensor = 'rain'") == "13.9700")
        #expect(daemon.log.contains("GPIO sensor unavailable") && daemon.log.contains("gpiochip-nowhere") && daemon.log.contains("not found"), "\(daemon.log)")
        print(
            "gpio-sim: sawahd counted \(try sql("SELECT value FROM counters WHERE name = 'gpio_pulses:rain'")) pulses over a restart; rainfall \(try sql("SELECT printf('%.4f', SUM(value)) FROM reading_rows WHERE sensor = 'rain'")) mm"
        )
    }
}
