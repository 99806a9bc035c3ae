/// How to reach and identify with an MQTT broker.
public struct MQTTOptions: Sendable {
    /// TLS settings; verification of the broker's certificate is always on.
    public struct TLS: Sendable {
        /// PEM file with the CA certificate(s) that sign the broker's certificate.
        public var caFile: String
        /// Client certificate and key for mutual TLS, both PEM.
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// A message the broker publishes for us when the connection dies without a DISCONNECT.
    public struct Will: Sendable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int32
        public var retain: Bool

        public init(topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = true) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    public var host: String
    public var port: Int
    public var clientID: String
    /// False keeps a persistent session: the broker queues QoS 1 messages while we are away.
    public var cleanSession: Bool
    public var keepAliveSeconds: Int32
    public var username: String?
    public var password: String?
    public var tls: TLS?
    public var will: Will?
    /// Outgoing QoS 1/2 messages allowed in flight at once (publishers only).
    public var maxInflightMessages: Int32

    public init(
        host: String = "127.0.0.1",
        port: Int = 1883,
        clientID: String,
        cleanSession: Bool = true,
        keepAliveSeconds: Int32 = 30,
        username: String? = nil,
        password: String? = nil,
        tls: TLS? = nil,
        will: Will? = nil,
        maxInflightMessages: Int32 = 20
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAliveSeconds = keepAliveSeconds
        self.username = username
        self.password = password
        self.tls = tls
        self.will = will
        self.maxInflightMessages = maxInflightMessages
    }

    /// `host:port`, for messages.
    public var endpoint: String { "\(host):\(port)" }
}
