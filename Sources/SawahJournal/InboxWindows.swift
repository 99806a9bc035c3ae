import Synchronization

/// Each MQTT session's redelivery window (`MessageInbox`), under a lock of its own.
///
/// The ingest thread asks `isRedelivery` for every message before it builds a batch; the
/// journal's writer thread records a batch's messages once its transaction has committed. A
/// lock of its own lets the first happen without a trip to the writer thread per message.
final class InboxWindows: Sendable {
    private let windows = Mutex<[String: MessageInbox]>([:])

    func isRedelivery(_ entry: InboxEntry) -> Bool {
        windows.withLock { $0[entry.client]?.isRedelivery(mid: entry.mid, digest: entry.digest) ?? false }
    }

    /// The serial the next recorded message of `client` will get.
    func nextSerial(client: String) -> Int64 {
        windows.withLock { $0[client]?.nextSerial ?? 1 }
    }

    /// Records committed messages (only after COMMIT: a rolled-back batch leaves no trace).
    func record(_ entries: [InboxEntry]) {
        guard !entries.isEmpty else { return }
        windows.withLock { windows in
            for entry in entries { windows[entry.client, default: MessageInbox()].record(mid: entry.mid, digest: entry.digest) }
        }
    }

    /// Restores an entry loaded from the journal when it is opened.
    func restore(client: String, mid: Int32, digest: Int64, serial: Int64) {
        windows.withLock { $0[client, default: MessageInbox()].restore(mid: mid, digest: digest, serial: serial) }
    }

    /// The broker kept no session for `client`: nothing from before can be redelivered.
    func clear(client: String) {
        windows.withLock { _ = $0[client]?.clear() }
    }
}
