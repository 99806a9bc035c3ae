import Foundation
import Testing

@testable import SawahSystem

/// Reading the mount table for the journal's filesystem: a card the kernel switched to
/// read-only shows there (`emergency_ro`) and nowhere else.
@Suite struct DiskSpaceTests {
    static let table = """
        /dev/mmcblk0p2 / ext4 rw,noatime 0 0
        proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
        /dev/sda1 /var/lib/sawah ext4 rw,relatime,errors=remount-ro,emergency_ro 0 0
        /dev/sda2 /var/lib/sawah\\040spare ext4 ro,relatime 0 0
        tmpfs /var/lib/sawah/run tmpfs rw,size=1024k 0 0
        """

    @Test func theLongestMountPointAboveThePathIsTheOne() {
        #expect(DiskSpace.mountOptions(of: "/var/lib/sawah/journal.sqlite", table: Self.table).contains("emergency_ro"))
        #expect(DiskSpace.mountOptions(of: "/var/lib/sawah", table: Self.table).contains("emergency_ro"))
        #expect(DiskSpace.mountOptions(of: "/var/lib/sawah/run/x", table: Self.table) == ["rw", "size=1024k"])
        // A sibling whose name merely starts the same is not under it.
        #expect(DiskSpace.mountOptions(of: "/var/lib/sawahx/journal.sqlite", table: Self.table) == ["rw", "noatime"])
    }

    @Test func escapedMountPointsAreMatched() {
        #expect(DiskSpace.mountOptions(of: "/var/lib/sawah spare/j.sqlite", table: Self.table).first == "ro")
    }

    @Test func aWritableDirectoryIsNotReadOnlyAndHasFreeSpace() throws {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(DiskSpace.isReadOnly(at: directory) == false)
        #expect((DiskSpace.freeBytes(at: directory) ?? 0) > 0)
        #expect(DiskSpace.freeBytes(at: "/nonexistent/sawah") == nil)
    }
}
