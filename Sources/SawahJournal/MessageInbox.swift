/// Recognises an MQTT message redelivered after its PUBACK was lost.
///
/// libmosquitto cannot show the DUP flag, so a redelivery is known by the same session, the
/// same packet id and the same content as a message stored recently. "Recently" is the last
/// `window` messages of the session: a broker resends at most its in-flight window after a
/// reconnect, while packet ids only come round again after 65,535 messages. When the broker
/// says it kept no session, nothing can be redelivered and the inbox starts afresh.
public struct MessageInbox: Sendable {
    public static let defaultWindow: Int64 = 20_000

    struct Seen: Sendable {
        var digest: Int64
        var serial: Int64
    }

    public let window: Int64
    private var seen: [Int32: Seen] = [:]
    /// Serial number of the last message recorded.
    public private(set) var serial: Int64 = 0

    public init(window: Int64 = MessageInbox.defaultWindow) {
        self.window = window
    }

    /// True when `mid` with this `digest` was recorded within the window.
    public func isRedelivery(mid: Int32, digest: Int64) -> Bool {
        guard let entry = seen[mid] else { return false }
        return entry.digest == digest && serial - entry.serial < window
    }

    /// Records a stored message; returns its serial number.
    @discardableResult
    public mutating func record(mid: Int32, digest: Int64) -> Int64 {
        serial += 1
        seen[mid] = Seen(digest: digest, serial: serial)
        return serial
    }

    /// Restores an entry loaded from the journal.
    mutating func restore(mid: Int32, digest: Int64, serial: Int64) {
        seen[mid] = Seen(digest: digest, serial: serial)
        self.serial = max(self.serial, serial)
    }

    public mutating func clear() {
        seen.removeAll()
    }
}
