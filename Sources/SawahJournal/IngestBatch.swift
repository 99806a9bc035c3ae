import SawahCore

/// Everything one group commit writes: readings, quarantined payloads, and the MQTT packet ids
/// that say these messages are stored. One batch is one transaction.
public struct IngestBatch: Sendable {
    public var readings: [Reading] = []
    public var quarantine: [QuarantineRecord] = []
    public var inbox: [InboxEntry] = []
    /// Redelivered messages recognised and skipped, counted for `sawah status`.
    public var duplicates = 0
    /// Counters set to these values in the same transaction: a GPIO pulse total checkpointed
    /// with the readings it produced, so a restart neither loses nor repeats them.
    public var checkpoints: [String: Int64] = [:]
    /// Counters increased by these amounts in the same transaction (per-sensor read errors).
    public var increments: [String: Int64] = [:]

    public init() {}

    public var isEmpty: Bool {
        readings.isEmpty && quarantine.isEmpty && inbox.isEmpty && duplicates == 0 && checkpoints.isEmpty && increments.isEmpty
    }
}

/// One received MQTT message's identity: its session, packet id and a digest of its content.
public struct InboxEntry: Sendable, Equatable {
    public var client: String
    public var mid: Int32
    public var digest: Int64

    public init(client: String, mid: Int32, digest: Int64) {
        self.client = client
        self.mid = mid
        self.digest = digest
    }

    /// FNV-1a over the topic, a separator and the payload: cheap, stable across runs and
    /// builds (unlike `Hasher`), and only ever compared with the same message resent.
    public static func digest(topic: String, payload: [UInt8]) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in topic.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        for byte in payload {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
