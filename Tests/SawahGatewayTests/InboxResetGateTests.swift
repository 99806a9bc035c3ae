import Synchronization
import Testing

@testable import SawahGateway

/// The inbox reset after a CONNACK without a session: a failure on the callback holds back
/// every commit until the reset succeeds (a unit test of the gate's logic, with a scripted reset).
@Suite struct InboxResetGateTests {
    struct Refused: Error {}

    final class ScriptedReset: Sendable {
        let failuresLeft: Atomic<Int>
        let calls = Atomic(0)
        init(failures: Int) { failuresLeft = Atomic(failures) }
        func run() throws {
            calls.add(1, ordering: .relaxed)
            if failuresLeft.load(ordering: .relaxed) > 0 {
                failuresLeft.subtract(1, ordering: .relaxed)
                throw Refused()
            }
        }
    }

    @Test func aFailedResetHoldsCommitsBackUntilItSucceeds() throws {
        let script = ScriptedReset(failures: 2)
        let gate = InboxResetGate(reset: { try script.run() })
        #expect(throws: Refused.self) { try gate.connected(sessionPresent: false) }
        #expect(gate.isPending)
        #expect(throws: Refused.self, "the commit fails while the inbox is stale") { try gate.beforeCommit() }
        try gate.beforeCommit()
        #expect(!gate.isPending)
        try gate.beforeCommit()
        #expect(script.calls.load(ordering: .relaxed) == 3, "no reset once it succeeded")
    }

    @Test func aSessionThatSurvivedNeedsNoReset() throws {
        let script = ScriptedReset(failures: 0)
        let gate = InboxResetGate(reset: { try script.run() })
        try gate.connected(sessionPresent: true)
        try gate.beforeCommit()
        #expect(script.calls.load(ordering: .relaxed) == 0)
        try gate.connected(sessionPresent: false)
        #expect(script.calls.load(ordering: .relaxed) == 1 && !gate.isPending)
    }
}
