#if canImport(Glibc)
import Glibc
#endif

/// A file of allocated blocks kept beside the journal, to be given back when the disk is full.
///
/// SQLite needs room to delete: a DELETE writes its pages to the WAL before anything is freed.
/// On a disk filled to the last block (by the journal or by anything else on the card) even
/// retention's eviction fails with `SQLITE_FULL`, and the gateway could not get out by itself.
/// Releasing the reserve gives that one pass the room it needs; it is set aside again once
/// there is room for it.
public struct SpaceReserve: Sendable {
    public let path: String
    public let bytes: Int64

    public init(path: String, bytes: Int64) {
        self.path = path
        self.bytes = bytes
    }

    /// Whether the reserve is in place, at its full size.
    public var isHeld: Bool {
        var info = stat()
        return stat(path, &info) == 0 && Int64(info.st_blocks) * 512 >= bytes
    }

    /// Allocates the reserve if it is missing and `freeBytes` has room for it with `leaving`
    /// bytes still free. Returns true when it is held afterwards. Blocks are allocated, not a sparse hole
    /// (`posix_fallocate`), so that releasing it really frees space.
    @discardableResult
    public func replenish(freeBytes: Int64?, leaving: Int64) -> Bool {
        guard bytes > 0 else { return false }
        if isHeld { return true }
        guard let free = freeBytes, free >= bytes + leaving else { return false }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let allocated = posix_fallocate(fd, 0, off_t(bytes)) == 0 && fsync(fd) == 0
        close(fd)
        if !allocated { unlink(path) }
        return allocated
    }

    /// Deletes the reserve; true when there was one to give back.
    @discardableResult
    public func release() -> Bool {
        let held = isHeld
        return unlink(path) == 0 && held
    }
}
