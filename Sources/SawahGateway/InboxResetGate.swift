import Synchronization

/// Holds back commits until the MQTT inbox has been reset after the broker said it kept no
/// session for us. The reset runs on libmosquitto's callback, where a failure can only be
/// logged; with a stale inbox a new message that reuses an old packet id and payload would be
/// taken for a redelivery and dropped. So a failed reset stays pending, and the next commit
/// runs it first: if it fails again the commit fails, nothing is acknowledged, the connection is
/// dropped, and the broker sends the messages again.
final class InboxResetGate: Sendable {
    private let pending = Atomic(false)
    private let reset: @Sendable () throws -> Void

    init(reset: @escaping @Sendable () throws -> Void) {
        self.reset = reset
    }

    /// On a CONNACK: with no session present the inbox is reset now, or left pending.
    func connected(sessionPresent: Bool) throws {
        guard !sessionPresent else { return }
        pending.store(true, ordering: .sequentiallyConsistent)
        try reset()
        pending.store(false, ordering: .sequentiallyConsistent)
    }

    /// Before a commit: a reset still pending runs first, and its failure fails the commit.
    func beforeCommit() throws {
        guard pending.load(ordering: .sequentiallyConsistent) else { return }
        try reset()
        pending.store(false, ordering: .sequentiallyConsistent)
    }

    var isPending: Bool { pending.load(ordering: .sequentiallyConsistent) }
}
