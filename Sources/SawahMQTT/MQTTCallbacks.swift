import CMosquitto

/// C trampolines for libmosquitto's callbacks.
///
/// They are plain functions in a nonisolated enum, never closures written in main-actor code:
/// docs/facts.md records that such closures crash with SIGILL when libmosquitto's thread calls
/// them. The user-data pointer is the `MQTTClient`, unretained: the client outlives every
/// callback because callbacks only run inside its loop, which `deinit` stops first.
enum MQTTCallbacks {
    static func install(on mosq: OpaquePointer) {
        mosquitto_connect_with_flags_callback_set(mosq, onConnect)
        mosquitto_disconnect_callback_set(mosq, onDisconnect)
        mosquitto_message_callback_set(mosq, onMessage)
        mosquitto_publish_callback_set(mosq, onPublish)
        mosquitto_log_callback_set(mosq, onLog)
    }

    /// Turns libmosquitto's log back on (before a connect) or off (once the broker has
    /// accepted the session). With a log callback set, libmosquitto formats a debug line into
    /// a fresh heap buffer for every packet it sends or receives — two per ingested message —
    /// before our callback throws away all but errors and warnings. The reasons worth having
    /// (TLS, refused connects) arrive while connecting; after that a failure ends the
    /// connection with a result code, which is reported.
    static func libraryLog(on mosq: OpaquePointer, enabled: Bool) {
        mosquitto_log_callback_set(mosq, enabled ? onLog : nil)
    }

    private static func client(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient? {
        guard let userdata else { return nil }
        return Unmanaged<MQTTClient>.fromOpaque(userdata).takeUnretainedValue()
    }

    private static let onConnect: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32) -> Void = {
        _, userdata, rc, flags in
        client(userdata)?.didConnect(rc: rc, flags: flags)
    }

    private static let onDisconnect: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Void = {
        _, userdata, rc in
        client(userdata)?.didDisconnect(rc: rc)
    }

    /// Only errors and warnings: they carry reasons (TLS, protocol) that result codes lose.
    private static let onLog: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?) -> Void = {
        _, userdata, level, text in
        guard let text, let client = client(userdata) else { return }
        let name: String
        switch level {
        case Int32(MOSQ_LOG_ERR): name = "error"
        case Int32(MOSQ_LOG_WARNING): name = "warning"
        default: return
        }
        client.handlers.onEvent(.libraryMessage(level: name, text: String(cString: text)))
    }

    private static let onPublish: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Void = {
        _, userdata, mid in
        client(userdata)?.handlers.onPublishAcknowledged(mid)
    }

    private static let onMessage: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafePointer<mosquitto_message>?) -> Void = {
        _, userdata, message in
        guard let message, let client = client(userdata) else { return }
        let m = message.pointee
        let payload: [UInt8]
        if let bytes = m.payload, m.payloadlen > 0 {
            payload = Array(UnsafeRawBufferPointer(start: bytes, count: Int(m.payloadlen)))
        } else {
            payload = []
        }
        let topic = m.topic.map { String(cString: $0) } ?? ""
        client.didReceive(MQTTMessage(topic: topic, payload: payload, qos: m.qos, retain: m.retain, mid: m.mid))
    }
}
