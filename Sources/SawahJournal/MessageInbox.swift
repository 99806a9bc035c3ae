/// Recognises an MQTT message redelivered after its PUBACK was lost.
///
/// libmosquitto cannot show the DUP flag, so a redelivery is known by the same session, the
/// same packet id and the same content as a message stored recently. "Recently" is the last
/// `window` messages of the session: a broker resends at most its in-flight window after a
/// reconnect, while packet ids only come round again after 65,535 messages. When the broker
/// says it kept no session, nothing can be redelivered and the inbox starts afresh.
///
/// One slot per possible packet id, 8 bytes each (512 KiB per session, allocated on first
/// use): the low 32 bits of the content digest and of the serial number. A false match needs
/// a packet id reused within the window *and* a 32-bit digest collision.
public struct MessageInbox: Sendable {
    public static let defaultWindow: Int64 = 20_000

    public let window: Int64
    /// Per packet id: serial (low 32 bits) << 32 | digest (low 32 bits); 0 for never seen.
    private var slots: [UInt64] = []
    /// Serial number of the last message recorded.
    public private(set) var serial: Int64 = 0

    public init(window: Int64 = MessageInbox.defaultWindow) {
        self.window = window
    }

    /// True when `mid` with this `digest` was recorded within the window.
    public func isRedelivery(mid: Int32, digest: Int64) -> Bool {
        guard let index = Self.index(mid), index < slots.count else { return false }
        let slot = slots[index]
        guard slot != 0, UInt32(truncatingIfNeeded: slot) == UInt32(truncatingIfNeeded: digest) else { return false }
        let age = UInt32(truncatingIfNeeded: serial) &- UInt32(truncatingIfNeeded: slot >> 32)
        return Int64(age) < window
    }

    /// The serial the next `record` will give.
    public var nextSerial: Int64 { serial + 1 }

    /// Records a stored message; returns its serial number.
    @discardableResult
    public mutating func record(mid: Int32, digest: Int64) -> Int64 {
        serial += 1
        store(mid: mid, digest: digest, serial: serial)
        return serial
    }

    /// Restores an entry loaded from the journal.
    mutating func restore(mid: Int32, digest: Int64, serial: Int64) {
        store(mid: mid, digest: digest, serial: serial)
        self.serial = max(self.serial, serial)
    }

    private mutating func store(mid: Int32, digest: Int64, serial: Int64) {
        guard let index = Self.index(mid) else { return }
        if slots.isEmpty { slots = Array(repeating: 0, count: 65_536) }
        slots[index] = UInt64(UInt32(truncatingIfNeeded: serial)) << 32 | UInt64(UInt32(truncatingIfNeeded: digest))
    }

    public mutating func clear() {
        slots = []
    }

    /// MQTT packet ids are 1…65535.
    private static func index(_ mid: Int32) -> Int? {
        (0...65_535).contains(mid) ? Int(mid) : nil
    }
}
