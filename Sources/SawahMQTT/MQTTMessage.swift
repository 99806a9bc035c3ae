/// One PUBLISH received from the broker, copied out of libmosquitto's buffers.
public struct MQTTMessage: Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int32
    public var retain: Bool
    /// The packet identifier the broker chose (0 for QoS 0). A redelivery after a lost PUBACK
    /// carries the same identifier, which is how the journal recognises it.
    public var mid: Int32

    public init(topic: String, payload: [UInt8], qos: Int32, retain: Bool, mid: Int32) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.mid = mid
    }
}

/// What happened on a connection, for the owner to log.
public enum MQTTEvent: Sendable {
    case connected(sessionPresent: Bool)
    case connectRefused(code: Int32, reason: String)
    case connectionLost(reason: String)
    case reconnecting(afterSeconds: Double, attempt: Int)
    case subscribed(filter: String)
    /// An error or warning libmosquitto reported itself, such as the OpenSSL reason a TLS
    /// handshake failed.
    case libraryMessage(level: String, text: String)
}
