import Foundation
import Testing

@testable import SawahSystem

@Suite struct SpaceReserveTests {
    static func reserve(bytes: Int64) -> SpaceReserve {
        SpaceReserve(path: FileManager.default.temporaryDirectory.path + "/sawah-reserve-\(UUID().uuidString)", bytes: bytes)
    }

    @Test func itIsAllocatedOnlyWhenThereIsRoomAndGivenBackOnce() {
        let reserve = Self.reserve(bytes: 256 * 1024)
        defer { unlink(reserve.path) }
        // Not enough room: nothing is taken.
        #expect(reserve.replenish(freeBytes: 300 * 1024, leaving: 100 * 1024) == false)
        #expect(FileManager.default.fileExists(atPath: reserve.path) == false)
        #expect(reserve.replenish(freeBytes: nil, leaving: 0) == false)
        // Room: allocated blocks, not a sparse hole.
        #expect(reserve.replenish(freeBytes: DiskSpace.freeBytes(at: FileManager.default.temporaryDirectory.path), leaving: 0))
        var info = stat()
        #expect(stat(reserve.path, &info) == 0)
        #expect(Int64(info.st_blocks) * 512 >= reserve.bytes)
        #expect(reserve.isHeld)
        #expect(reserve.release())
        #expect(reserve.release() == false)
        #expect(reserve.isHeld == false)
    }

    @Test func aReserveOfNothingIsNeverHeld() {
        let reserve = Self.reserve(bytes: 0)
        #expect(reserve.replenish(freeBytes: Int64.max, leaving: 0) == false)
    }
}
