import Foundation
import SawahSQLite
import SawahSystem
import TestSupport
import Testing

@testable import SawahJournal

/// The journal's disk fills (an SD card, a log gone wild) or the kernel remounts it read-only:
/// sawahd stays up, acknowledges nothing it could not store, says so on the health topic and
/// in `sawah status`, and carries on by itself once it can write again. The journal lives on a
/// size-limited tmpfs the test mounts, so this needs root (as CI runs).
@Suite(.serialized, .enabled(if: getuid() == 0, "mounting a small filesystem needs root"))
struct FullDiskTests {
    static let sensors = """
        [[sensors]]
        id = "counter"
        profile = "test-counter"
        topic = "test/counter"

        [retention]
        # Eviction for space would make room by itself; this test is about what happens
        # when nothing can be made room for.
        min_free_disk_mb = 0

        [dashboard]
        health_interval_seconds = 1
        """

    /// A tmpfs of `megabytes` at the gateway's data directory, unmounted by the returned closure.
    static func mountSmallDisk(for gateway: GatewayHarness, megabytes: Int) throws -> () -> Void {
        let data = gateway.directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let mounted = try ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", data])
        try #require(mounted.status == 0, "mount: \(mounted.output)")
        return { _ = try? ChildProcess.run("/bin/umount", ["-l", data]) }
    }

    /// Writes zeros to `path` until the filesystem refuses (ENOSPC); returns the bytes written.
    static func fill(_ path: String) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            total += written
        }
        // The last pages SQLite or tmpfs freed meanwhile: take them too.
        let byte: [UInt8] = [0]
        while byte.withUnsafeBytes({ write(fd, $0.baseAddress, 1) }) == 1 { total += 1 }
        return total
    }

    /// A member of a health report's `ingest` object ("state", "cause").
    static func ingest(_ key: String, _ payload: [UInt8]) -> String? {
        let health = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
        return (health?["ingest"] as? [String: Any])?[key] as? String
    }

    @Test func aFullDiskStopsAcknowledgementsLosesNothingAndIngestResumesWhenSpaceIsFreed() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, sensors: Self.sensors)
        defer { gateway.remove() }
        let unmount = try Self.mountSmallDisk(for: gateway, megabytes: 6)
        defer { unmount() }
        try gateway.start()
        let health = "sawah/\(gateway.gatewayID)/health"
        let subscriber = try CollectingSubscriber(port: broker.port, filter: health)
        defer { subscriber.close() }
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }

        let total = 6_000
        let finished = CrashDurabilityTests.publishInBackground(publisher, count: total, perSecond: 500)
        usleep(1_500_000)
        let filler = gateway.directory.file("data/filler")
        let filled = Self.fill(filler)
        #expect(filled > 0)

        // Blocked, and still running.
        #expect(subscriber.wait(timeout: 60) { $0.contains { $0.topic == health && Self.ingest("state", $0.payload) == "blocked" } })
        #expect(gateway.daemon.isRunning)
        #expect(gateway.daemon.log.contains("the journal refuses writes"))
        let status = try gateway.sawah(["status", "--config", gateway.configPath, "--json"])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains(#""full":true"#), "\(status.output)")
        // It stays blocked while the disk stays full: nothing more is stored, and retries back off.
        let blockedAt = try JournalReader(path: gateway.journalPath).counts().readings
        usleep(3_000_000)
        #expect(try JournalReader(path: gateway.journalPath).counts().readings == blockedAt)
        #expect(subscriber.received.last { $0.topic == health }.map { Self.ingest("state", $0.payload) } == "blocked")
        #expect(gateway.daemon.isRunning)

        // Space comes back: ingest resumes by itself, and everything acknowledged arrives.
        try FileManager.default.removeItem(atPath: filler)
        let resumedSince = subscriber.received.count
        #expect(subscriber.wait(timeout: 60) { $0.dropFirst(resumedSince).contains { $0.topic == health && Self.ingest("state", $0.payload) == "ok" } })
        let deadline = Date().addingTimeInterval(60)
        while !finished.value && Date() < deadline { usleep(50_000) }
        #expect(publisher.waitForAcknowledgements(timeout: 30))
        let acknowledged = publisher.acknowledged
        #expect(acknowledged.count == total)
        let stored = try CrashDurabilityTests.settle(gateway, acknowledged: acknowledged, timeout: 90)
        let missing = acknowledged.subtracting(stored.keys)
        #expect(missing.isEmpty, "acknowledged but not stored, first: \(Array(missing.sorted().prefix(20)))")
        #expect(stored.filter { $0.value > 1 }.isEmpty)
        #expect(gateway.daemon.log.contains("ingest resumed"))
        #expect(gateway.daemon.stop() == 0)
        #expect(try SQLiteConnection(path: gateway.journalPath).scalarText("PRAGMA integrity_check") == "ok")
        print("full disk: \(filled) filler bytes, \(blockedAt) readings stored when blocked, \(acknowledged.count) acknowledged, \(stored.count) stored")
    }

    /// With `min_free_disk_mb` set, retention makes the room itself: the oldest readings are
    /// evicted and counted, and ingest carries on while the disk stays full of other files.
    @Test func retentionEvictsForSpaceAndIngestCarriesOnWithTheDiskStillFull() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let sensors = Self.sensors.replacingOccurrences(of: "min_free_disk_mb = 0", with: "min_free_disk_mb = 1\ncheck_interval_seconds = 1\nreserve_mb = 2")
        let gateway = try GatewayHarness(broker: broker, sensors: sensors)
        defer { gateway.remove() }
        let unmount = try Self.mountSmallDisk(for: gateway, megabytes: 12)
        defer { unmount() }
        try gateway.start()
        // The first retention pass sets the reserve aside.
        let reserve = gateway.directory.file("data/space-reserve")
        let reserved = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: reserve) && Date() < reserved { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: reserve))
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }

        let total = 6_000
        let finished = CrashDurabilityTests.publishInBackground(publisher, count: total, perSecond: 500)
        usleep(1_500_000)
        let filled = Self.fill(gateway.directory.file("data/filler"))
        let deadline = Date().addingTimeInterval(90)
        while !finished.value && Date() < deadline { usleep(50_000) }
        #expect(publisher.waitForAcknowledgements(timeout: 30))
        let acknowledged = publisher.acknowledged
        // Every acknowledged reading is either stored or counted as evicted for space.
        let reader = try JournalReader(path: gateway.journalPath)
        var stored = 0
        var evicted: Int64 = 0
        let settled = Date().addingTimeInterval(90)
        repeat {
            stored = Int(try reader.counts().readings)
            evicted = try reader.counters()["evicted_by_disk_pressure"] ?? 0
            if stored + Int(evicted) >= acknowledged.count { break }
            usleep(200_000)
        } while Date() < settled
        #expect(evicted > 0, "retention evicted nothing; log:\n\(gateway.daemon.log.suffix(3000))")
        #expect(stored + Int(evicted) == acknowledged.count, "\(stored) stored + \(evicted) evicted ≠ \(acknowledged.count) acknowledged")
        #expect(gateway.daemon.log.contains("gave back the space reserve"))
        // Once there is room again, the reserve is set aside again.
        try FileManager.default.removeItem(atPath: gateway.directory.file("data/filler"))
        let again = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: reserve) && Date() < again { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: reserve))
        #expect(gateway.daemon.stop() == 0)
        #expect(try SQLiteConnection(path: gateway.journalPath).scalarText("PRAGMA integrity_check") == "ok")
        print("full disk with retention: \(filled) filler bytes, \(acknowledged.count) acknowledged, \(stored) stored, \(evicted) evicted for space")
    }

    /// A failing SD card: ext4 on a loop device mounted `errors=remount-ro`, and a filesystem
    /// error raised through ext4's own `trigger_fs_error`, so the kernel switches it to
    /// read-only under the running daemon exactly as it does for a card's I/O errors.
    /// sawahd holds (acknowledges nothing, says why); started again on it, it exits with an
    /// error that names the cause; after fsck and a remount, with `durability = "power"`
    /// everything acknowledged arrives. With "process" the last commits before the failure
    /// were acknowledged from the page cache, which the kernel never writes to a card it has
    /// given up on: that loss is measured and printed, as for a power cut (README).
    @Test(arguments: ["power", "process"])
    func aCardSwitchedToReadOnlyHoldsIngestAndNamesTheCause(durability: String) throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let gateway = try GatewayHarness(broker: broker, durability: durability, sensors: Self.sensors)
        defer { gateway.remove() }
        let data = gateway.directory.file("data")
        let image = gateway.directory.file("card.img")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: image, contents: nil) && truncate(image, 32 * 1024 * 1024) == 0)
        let made = try ChildProcess.run("/sbin/mkfs.ext4", ["-q", "-F", image])
        try #require(made.status == 0, "mkfs.ext4: \(made.output)")
        func mountCard() throws {
            let mounted = try ChildProcess.run("/bin/mount", ["-o", "loop,errors=remount-ro", image, data])
            try #require(mounted.status == 0, "mount: \(mounted.output)")
        }
        try mountCard()
        defer { _ = try? ChildProcess.run("/bin/umount", [data]) }

        try gateway.start()
        let health = "sawah/\(gateway.gatewayID)/health"
        let subscriber = try CollectingSubscriber(port: broker.port, filter: health)
        defer { subscriber.close() }
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        let total = 2_000
        let finished = CrashDurabilityTests.publishInBackground(publisher, count: total, perSecond: 500)
        usleep(1_000_000)

        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        let device = try #require(mounts.split(separator: "\n").map { $0.split(separator: " ") }.first { $0.count > 1 && $0[1] == data }?[0])
        let trigger = "/sys/fs/ext4/\(device.split(separator: "/").last!)/trigger_fs_error"
        try "sawah test: the card failed".write(toFile: trigger, atomically: false, encoding: .utf8)
        #expect(DiskSpace.isReadOnly(at: data))

        #expect(subscriber.wait(timeout: 30) { $0.contains { $0.topic == health && Self.ingest("cause", $0.payload) == "read-only filesystem" } })
        #expect(gateway.daemon.isRunning)
        let status = try gateway.sawah(["status", "--config", gateway.configPath])
        #expect(status.output.contains("READ-ONLY"), "\(status.output)")
        let deadline = Date().addingTimeInterval(30)
        while !finished.value && Date() < deadline { usleep(50_000) }
        _ = gateway.daemon.stop()

        // Started on it: a failure exit and an error that says what is wrong.
        try gateway.daemon.start()
        let code = gateway.daemon.waitForExit(timeout: 20)
        #expect(code != nil && code != 0)
        #expect(gateway.daemon.log.contains("the filesystem holding the journal is read-only"), "\(gateway.daemon.log.suffix(2000))")

        // What an operator does: unmount, fsck, mount. Then nothing acknowledged is missing.
        #expect(try ChildProcess.run("/bin/umount", [data]).status == 0)
        // 1: errors corrected, which a filesystem marked with an error always has.
        let checked = try ChildProcess.run("/sbin/e2fsck", ["-f", "-y", image])
        #expect(checked.status <= 1, "e2fsck: \(checked.output)")
        try mountCard()
        try gateway.start()
        #expect(publisher.waitForAcknowledgements(timeout: 30))
        let acknowledged = publisher.acknowledged
        #expect(acknowledged.count == total)
        let stored = try CrashDurabilityTests.settle(gateway, acknowledged: acknowledged, timeout: durability == "power" ? 60 : 10)
        let lost = acknowledged.subtracting(stored.keys)
        if durability == "power" {
            #expect(lost.isEmpty, "acknowledged but not stored: \(lost.count), first: \(Array(lost.sorted().prefix(20)))")
        }
        #expect(gateway.daemon.stop() == 0)
        #expect(try SQLiteConnection(path: gateway.journalPath).scalarText("PRAGMA integrity_check") == "ok")
        print("read-only card, durability \(durability): \(acknowledged.count) acknowledged, \(stored.count) stored after fsck and remount, \(lost.count) lost")
    }
}
