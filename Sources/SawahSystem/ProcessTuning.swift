#if canImport(Glibc)
import Glibc
#endif

/// Memory settings for the long-running daemons on a small board.
public enum ProcessTuning {
    /// glibc raises its mmap threshold after the first large buffer is freed; after that every
    /// upload's ~1 MB of transient buffers comes from the heap and stays resident. Pinning the
    /// threshold keeps such buffers mmapped and returned at once (~5 MB less peak RSS in
    /// `scripts/bench uplink`). `mallopt` is looked up at run time because `<malloc.h>` is not
    /// part of Swift's Glibc module; `M_MMAP_THRESHOLD` is -3 in glibc. Elsewhere a no-op.
    public static func pinMallocMmapThreshold(bytes: Int32 = 128 * 1024) {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, bytes)
        #endif
    }
}
