import CMosquitto
import SawahSystem
import Synchronization

/// Callbacks a client owner supplies. They run on the thread that drives the connection
/// (libmosquitto's own thread in background mode, the caller's in acknowledging mode), so they
/// must be `@Sendable` and quick.
public struct MQTTHandlers: Sendable {
    public var onEvent: @Sendable (MQTTEvent) -> Void
    /// Background mode only: each message as it arrives.
    public var onMessage: @Sendable (MQTTMessage) -> Void
    /// The broker acknowledged our QoS 1 PUBLISH with this packet id (PUBACK).
    public var onPublishAcknowledged: @Sendable (Int32) -> Void

    public init(
        onEvent: @escaping @Sendable (MQTTEvent) -> Void = { _ in },
        onMessage: @escaping @Sendable (MQTTMessage) -> Void = { _ in },
        onPublishAcknowledged: @escaping @Sendable (Int32) -> Void = { _ in }
    ) {
        self.onEvent = onEvent
        self.onMessage = onMessage
        self.onPublishAcknowledged = onPublishAcknowledged
    }
}

/// A libmosquitto client: the only Swift type in Sawah that touches `struct mosquitto`.
///
/// Two ways to drive it: `startBackgroundLoop()` (libmosquitto's thread; for publishers and
/// dashboards) or `runAcknowledgingLoop` (the caller's thread; for ingest, where a PUBACK must
/// not leave before the messages it acknowledges are committed).
///
/// `@unchecked Sendable` is safe because every stored property is immutable after `init`
/// except `mode`, `subscriptions` and `batch`, which are guarded by `state` (a Mutex) or touched
/// only by the single thread that drives the loop; libmosquitto serialises its own state with
/// internal mutexes once `mosquitto_threaded_set` or `mosquitto_loop_start` is in effect.
public final class MQTTClient: @unchecked Sendable {
    let mosq: OpaquePointer
    public let options: MQTTOptions
    let handlers: MQTTHandlers

    struct State {
        var subscriptions: [(filter: String, qos: Int32)] = []
        var backgroundLoop = false
        var connected = false
    }
    let state = Mutex(State())
    /// Messages read but not yet handed to the commit hook; touched only by the loop thread.
    var batch: [MQTTMessage] = []
    var acknowledgingMode = false
    let stopRequested = Atomic<Bool>(false)
    /// The acknowledging loop's wake-up descriptor while it runs.
    let stopWaker = Mutex<WakeSignal?>(nil)

    /// Creates the client and applies credentials, TLS and the will. Nothing is sent yet.
    public init(options: MQTTOptions, handlers: MQTTHandlers = MQTTHandlers()) throws {
        MQTTLibrary.initialise()
        self.options = options
        self.handlers = handlers
        guard let mosq = mosquitto_new(options.clientID, options.cleanSession, nil) else {
            throw MQTTError(code: Int32(MOSQ_ERR_NOMEM.rawValue), operation: "create client \(options.clientID)")
        }
        self.mosq = mosq
        mosquitto_user_data_set(mosq, Unmanaged.passUnretained(self).toOpaque())
        MQTTCallbacks.install(on: mosq)
        // If this throws, every stored property is set, so deinit runs and destroys `mosq`;
        // destroying it here as well was a double free.
        try configure()
    }

    private func configure() throws {
        _ = mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1)
        try MQTTError.check(
            mosquitto_max_inflight_messages_set(mosq, UInt32(options.maxInflightMessages)),
            "set max inflight messages")
        if let username = options.username {
            try MQTTError.check(mosquitto_username_pw_set(mosq, username, options.password), "set username")
        }
        if let tls = options.tls {
            try MQTTError.check(
                mosquitto_tls_set(mosq, tls.caFile, nil, tls.certFile, tls.keyFile, nil),
                "load TLS files (CA \(tls.caFile))")
            try MQTTError.check(mosquitto_tls_insecure_set(mosq, false), "enable TLS hostname check")
        }
        if let will = options.will {
            let rc = will.payload.withUnsafeBytes { raw in
                mosquitto_will_set(mosq, will.topic, Int32(raw.count), raw.baseAddress, will.qos, will.retain)
            }
            try MQTTError.check(rc, "set last will on \(will.topic)")
        }
    }

    deinit {
        if state.withLock({ $0.backgroundLoop }) {
            mosquitto_disconnect(mosq)
            mosquitto_loop_stop(mosq, true)
        }
        mosquitto_destroy(mosq)
    }

    /// Starts the TCP (and TLS) connection; CONNECT goes out from the loop.
    public func connect() throws {
        let rc = mosquitto_connect(mosq, options.host, Int32(options.port), options.keepAliveSeconds)
        try MQTTError.check(rc, "connect to \(options.endpoint)")
    }

    /// Subscribes now if connected, and again after every reconnect.
    public func subscribe(_ filter: String, qos: Int32 = 1) throws {
        let connected = state.withLock { state in
            state.subscriptions.append((filter, qos))
            return state.connected
        }
        if connected {
            try MQTTError.check(mosquitto_subscribe(mosq, nil, filter, qos), "subscribe to \(filter)")
        }
    }

    /// Queues a PUBLISH and returns its packet id (matched later by `onPublishAcknowledged`).
    @discardableResult
    public func publish(topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = false) throws -> Int32 {
        var mid: Int32 = 0
        let rc = payload.withUnsafeBytes { raw in
            mosquitto_publish(mosq, &mid, topic, Int32(raw.count), raw.baseAddress, qos, retain)
        }
        try MQTTError.check(rc, "publish to \(topic)")
        return mid
    }

    /// Convenience for text payloads.
    @discardableResult
    public func publish(topic: String, text: String, qos: Int32 = 1, retain: Bool = false) throws -> Int32 {
        try publish(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }

    /// Sends DISCONNECT, so the broker does not publish the will.
    public func disconnect() {
        mosquitto_disconnect(mosq)
    }

    /// True between CONNACK and the loss of the connection.
    public var isConnected: Bool { state.withLock { $0.connected } }

    // Called from the C trampolines, on the loop thread.

    func didConnect(rc: Int32, flags: Int32) {
        guard rc == 0 else {
            let reason = String(cString: mosquitto_connack_string(rc))
            handlers.onEvent(.connectRefused(code: rc, reason: reason))
            return
        }
        let subscriptions = state.withLock { state in
            state.connected = true
            return state.subscriptions
        }
        handlers.onEvent(.connected(sessionPresent: flags & 1 == 1))
        for subscription in subscriptions {
            let rc = mosquitto_subscribe(mosq, nil, subscription.filter, subscription.qos)
            if rc == 0 { handlers.onEvent(.subscribed(filter: subscription.filter)) }
        }
    }

    func didDisconnect(rc: Int32) {
        state.withLock { $0.connected = false }
        if rc != 0 {
            handlers.onEvent(.connectionLost(reason: MQTTError.text(for: rc)))
        }
    }

    func didReceive(_ message: MQTTMessage) {
        if acknowledgingMode {
            batch.append(message)
        } else {
            handlers.onMessage(message)
        }
    }
}
