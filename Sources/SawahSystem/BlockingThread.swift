import Foundation

/// Runs a blocking loop (libmosquitto's network loop, a GPIO line in `poll`) on a thread of its
/// own, and lets an async caller await its end without blocking a thread of the cooperative
/// pool: the loop must not hold a pool thread, and the caller must not sleep in a semaphore.
///
/// The caller stops the loop by its own means (a `WakeSignal`, a stop flag) from a
/// cancellation or graceful-shutdown handler; this only starts the thread and reports its end.
public enum BlockingThread {
    /// Starts `body` on a new thread named `name` (the kernel keeps 15 bytes of it, as `top -H`
    /// and `/proc/PID/task/*/comm` show) and returns when `body` has returned.
    public static func run(name: String, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                // Named from inside, through the kernel: a Linux thread starts with its
                // creator's name (here a pool thread's), and Foundation's `Thread.name` never
                // reaches the kernel (Glibc's module does not export pthread_setname_np).
                nameCurrentThread(name)
                body()
                done.resume()
            }.start()
        }
    }

    /// Names the calling thread; the kernel keeps 15 bytes. Best effort: a name is a label
    /// for `top -H` and a core dump, and nothing depends on it.
    public static func nameCurrentThread(_ name: String) {
        guard let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") else { return }
        defer { try? comm.close() }
        try? comm.write(contentsOf: Data(name.utf8.prefix(15)))
    }

    /// The calling thread's name as the kernel holds it (`/proc/thread-self/comm`).
    public static func currentName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }
}
