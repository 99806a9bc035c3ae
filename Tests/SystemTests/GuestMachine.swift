import Foundation
import SawahSystem

#if canImport(Glibc)
import Glibc
#endif

/// A running QEMU: the power switch is SIGKILL to the emulator itself.
struct GuestMachine {
    let process: Process

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func wait(timeout seconds: Int64 = 60) {
        let deadline = MonotonicClock.milliseconds() + seconds * 1_000
        while process.isRunning && MonotonicClock.milliseconds() < deadline { usleep(100_000) }
        kill9()
        process.waitUntilExit()
    }
}
