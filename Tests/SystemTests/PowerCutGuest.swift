import Foundation
import SawahProvisioning
import SawahSystem
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The machine PowerCutTests cuts the power of: scripts/gpio-sim-test's kernel and initramfs,
/// booted with an ext4 image as a virtio disk opened with `cache=none` (the guest mounts it at
/// /run/disk, and sawahd keeps its journal there) and QEMU's user network, through which the
/// guest reaches the host's broker at 10.0.2.2. Commands and results pass through a 9p share,
/// whose writes reach the host at once and so outlive a cut.
struct PowerCutGuest {
    let directory: TemporaryDirectory
    let kernel: String
    /// Where the broker runs: on the host, outside the cut (its port there), or inside the
    /// guest, configured as `sawah broker render` configures it, reached from the host through
    /// a forwarded port.
    enum Broker {
        case host(port: Int)
        case guest(forwardedPort: Int)
    }
    let broker: Broker
    var image: String { directory.file("disk.img") }
    var share: String { directory.file("share") }

    init(directory: TemporaryDirectory, kernel: String, broker: Broker, durability: String) throws {
        self.directory = directory
        self.kernel = kernel
        self.broker = broker
        try FileManager.default.createDirectory(atPath: directory.file("share"), withIntermediateDirectories: true)
        try Self.sh("truncate -s 512M '\(directory.file("disk.img"))' && mkfs.ext4 -q -F '\(directory.file("disk.img"))'")
        let mount = directory.file("mnt")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        try Self.sh("mount -o loop '\(directory.file("disk.img"))' '\(mount)'")
        defer { try? Self.sh("umount '\(mount)'") }
        try FileManager.default.copyItem(atPath: ProjectPaths.root + "/devices", toPath: mount + "/devices")
        try FileManager.default.createDirectory(atPath: mount + "/devices/test-counter", withIntermediateDirectories: true)
        try GatewayHarness.counterProfile.write(toFile: mount + "/devices/test-counter/profile.toml", atomically: true, encoding: .utf8)
        let config = """
            [gateway]
            id = "power-cut-gw"
            data_dir = "data"
            devices_dir = "devices"
            durability = "\(durability)"
            clock = "trusted"

            [mqtt]
            host = "\(broker.isHost ? "10.0.2.2" : "127.0.0.1")"
            port = \(broker.hostPort ?? 1883)
            subscribe = ["test/#"]

            [dashboard]
            enabled = false

            [[sensors]]
            id = "counter"
            profile = "test-counter"
            topic = "test/counter"

            \(GatewayHarness.counterTraceability(intervalSeconds: 1, maxReadings: 200))
            """
        try config.write(toFile: mount + "/sawah.toml", atomically: true, encoding: .utf8)
        if !broker.isHost {
            // The persistence `sawah broker render` writes, on the journal's disk; the queue
            // limits lifted as it lifts them.
            let conf =
                ["listener 1883 0.0.0.0", "allow_anonymous true", "user root", "persistence true", "persistence_location /run/disk/broker/"]
                + BrokerRenderer.persistenceSettings + ["max_queued_messages 2000000", "max_queued_bytes 0", "max_inflight_messages 1000"]
            try FileManager.default.createDirectory(atPath: mount + "/broker", withIntermediateDirectories: true)
            try conf.joined(separator: "\n").write(toFile: mount + "/mosquitto.conf", atomically: true, encoding: .utf8)
        }
        guard let sawah = ProjectPaths.executable("sawah") else { throw GatewayHarness.HarnessError.notBuilt("sawah") }
        let created = try ChildProcess.run(sawah, ["identity", "create", "--config", mount + "/sawah.toml"])
        guard created.status == 0 else { throw GatewayHarness.HarnessError.exited(log: created.output) }
    }

    /// The guest's command for a boot that will be cut: check the journal the last cut left
    /// (SQLite recovers its WAL on open, as sawahd would), then run sawahd until the power goes.
    func runCommand(boot: Int) throws -> String {
        try preamble(boot: boot) + "exec '\(try sawahd())' --config /run/disk/sawah.toml > /run/share/sawahd-\(boot).log 2>&1\n"
    }

    /// The clean last boot: sawahd runs until the journal holds every message the host
    /// published (the broker redelivers what it never acknowledged), seals, and stops.
    func drainCommand(boot: Int) throws -> String {
        try preamble(boot: boot) + """
            '\(try sawahd())' --config /run/disk/sawah.toml > /run/share/sawahd-\(boot).log 2>&1 &
            pid=$!
            expected=$(cat /run/share/expected)
            # Until every message is in, or (where a cut lost some for good) nothing has come
            # in for 20 s once sawahd has subscribed.
            i=0; last=-1; still=0
            while [ $i -lt 300 ] && [ $still -lt 20 ]; do
              n=$(sqlite3 data/journal.sqlite 'SELECT COUNT(DISTINCT value) FROM readings' 2>/dev/null || echo 0)
              [ "${n:-0}" -ge "$expected" ] && break
              if [ "$n" = "$last" ] && grep -q 'MQTT subscribed' /run/share/sawahd-\(boot).log; then still=$((still+1)); else still=0; fi
              last=$n
              sleep 1; i=$((i+1))
            done
            sleep 3
            kill -TERM $pid; wait $pid

            """
    }

    /// What every boot does first: the integrity check of what the last cut left, and the
    /// guest's broker where it has one.
    private func preamble(boot: Int) -> String {
        """
        cd /run/disk
        [ -e data/journal.sqlite ] && sqlite3 data/journal.sqlite 'PRAGMA integrity_check' > /run/share/integrity-\(boot) 2>&1
        \(guestBroker(boot: boot))

        """
    }

    private func sawahd() throws -> String {
        guard let sawahd = ProjectPaths.executable("sawahd") else { throw GatewayHarness.HarnessError.notBuilt("sawahd") }
        return sawahd
    }

    /// The line that starts the guest's broker, if it has one.
    func guestBroker(boot: Int) -> String {
        broker.isHost ? "" : "mosquitto -c /run/disk/mosquitto.conf > /run/share/mosquitto-\(boot).log 2>&1 &"
    }

    /// Boots the guest with `command`; returns the running QEMU.
    func boot(number: Int, command: String) throws -> GuestMachine {
        try command.write(toFile: share + "/command", atomically: true, encoding: .utf8)
        let work = URL(fileURLWithPath: kernel).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let qemu = Process()
        qemu.executableURL = URL(fileURLWithPath: "/usr/bin/qemu-system-x86_64")
        qemu.arguments = [
            "-accel", "tcg", "-cpu", "max", "-m", "2048", "-smp", "2", "-nographic", "-no-reboot",
            "-kernel", kernel, "-initrd", work + "/initramfs.cpio.gz",
            "-append", "console=ttyS0 rdinit=/init panic=-1 quiet loglevel=4 mitigations=off",
            "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
            "-virtfs", "local,path=\(share),mount_tag=share,security_model=none",
            "-drive", "file=\(image),format=raw,if=virtio,cache=none",
            "-netdev", "user,id=net0" + (broker.hostPort == nil ? ",hostfwd=tcp:127.0.0.1:\(broker.forwardedPort!)-:1883" : ""),
            "-device", "virtio-net-pci,netdev=net0"
        ]
        FileManager.default.createFile(atPath: directory.file("console-\(number).log"), contents: nil)
        let console = FileHandle(forWritingAtPath: directory.file("console-\(number).log"))
        qemu.standardOutput = console
        qemu.standardError = console
        qemu.standardInput = FileHandle.nullDevice
        try qemu.run()
        return GuestMachine(process: qemu)
    }

    /// Waits (on the monotonic clock) until sawahd in boot `boot` has subscribed.
    func waitForSubscription(boot: Int, machine: GuestMachine, seconds: Int64 = 240) -> Bool {
        let deadline = MonotonicClock.milliseconds() + seconds * 1_000
        while MonotonicClock.milliseconds() < deadline && machine.process.isRunning {
            if log(boot: boot).contains("MQTT subscribed") { return true }
            usleep(200_000)
        }
        return false
    }

    func log(boot: Int) -> String {
        (try? String(contentsOfFile: share + "/sawahd-\(boot).log", encoding: .utf8)) ?? ""
    }

    /// What boot `boot` printed on its console, and what the guest's command said.
    func console(boot: Int) -> String {
        let console = (try? String(contentsOfFile: directory.file("console-\(boot).log"), encoding: .utf8)) ?? ""
        return "console:\n\(console.suffix(3_000))\nguest output:\n\(share("output") ?? "")\nsawahd:\n\(log(boot: boot).suffix(3_000))"
    }

    func share(_ name: String) -> String? {
        (try? String(contentsOfFile: share + "/" + name, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func share(write text: String, to name: String) throws {
        try text.write(toFile: share + "/" + name, atomically: true, encoding: .utf8)
    }

    /// The journal's folder, copied out of the image (the ext4 journal replayed on mount, as a
    /// next boot would).
    func copyData() throws -> String {
        let mount = directory.file("mnt")
        let copy = directory.file("data-after")
        try Self.sh("mount -o loop '\(image)' '\(mount)' && cp -a '\(mount)/data' '\(copy)'; umount '\(mount)'")
        return copy
    }

    static func sh(_ script: String) throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", script])
        guard result.status == 0 else { throw ShellFailure(script: script, output: result.output) }
    }

    struct ShellFailure: Error, CustomStringConvertible {
        var script: String
        var output: String
        var description: String { "failed: \(script)\n\(output)" }
    }
}

extension PowerCutGuest.Broker {
    var isHost: Bool { hostPort != nil }
    var hostPort: Int? {
        if case .host(let port) = self { return port }
        return nil
    }
    var forwardedPort: Int? {
        if case .guest(let port) = self { return port }
        return nil
    }
}
