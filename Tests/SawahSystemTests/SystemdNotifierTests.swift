import Foundation
import Logging
import TestSupport
import Testing

@testable import SawahSystem

/// sd_notify over a real datagram socket, and the watchdog service on its own.
@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func notifierReachesPathAndAbstractSockets(abstract: Bool) throws {
        let socket = abstract ? try NotifySocket(abstractName: "sawah-test-\(UInt32.random(in: 0...UInt32.max))") : try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "4000000"])
        #expect(notifier.watchdogInterval == .seconds(2))
        #expect(notifier.notify("READY=1"))
        #expect(socket.receive(timeout: 2) == "READY=1")
        #expect(!SystemdNotifier(environment: [:]).notify("READY=1"), "without NOTIFY_SOCKET nothing is sent")
    }

    /// sawah-uplink's watchdog has no heartbeat: it says READY and STOPPING but never pings
    /// (it used to ping on a heartbeat nothing marked, vouching for a process it never watched).
    @Test func aWatchdogWithoutAHeartbeatNeverPings() async throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "200000"])
        let readiness = Readiness()
        readiness.markReady()
        let service = WatchdogService(notifier: notifier, heartbeat: nil, readiness: readiness, status: "delivering", logger: .init(label: "test"))
        let running = Task { try await service.run() }
        // Asleep without holding a thread of the cooperative pool the service runs on; the
        // datagrams wait in the socket meanwhile.
        try await Task.sleep(for: .seconds(1))
        running.cancel()
        _ = try? await running.value
        let said = socket.drain(for: 0.2)
        #expect(said.contains("READY=1\nSTATUS=delivering"), "\(said)")
        #expect(!said.contains("WATCHDOG=1"), "\(said)")
    }
}
