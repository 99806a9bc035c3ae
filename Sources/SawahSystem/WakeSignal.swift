#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe that wakes a thread blocked in `poll`, so a stop request is seen at once
/// instead of at the next timeout. The one wake signal: the MQTT loop and the GPIO workers
/// both use it. (Glibc's module map does not export eventfd.)
///
/// If the process is out of descriptors, `pipe` fails and the signal degrades to a timed
/// sleep: a stop is then seen at the waiter's next timeout, never missed.
///
/// `@unchecked Sendable` is safe: the descriptors are immutable after `init`, and pipe reads
/// and writes are atomic in the kernel.
public final class WakeSignal: @unchecked Sendable {
    /// The read end, for a caller that polls it beside other descriptors.
    public let fd: Int32
    private let writeEnd: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        fd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(fd)
        close(writeEnd)
    }

    /// Wakes the waiting thread; safe from any thread and from a signal handler.
    public func signal() {
        var one: UInt8 = 1
        _ = write(writeEnd, &one, 1)
    }

    /// Sleeps up to `seconds`, returning early when signalled (the signal is left set).
    public func wait(seconds: Double) {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(seconds * 1000))
    }
}
