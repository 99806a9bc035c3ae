import CMosquitto

extension MQTTClient {
    /// Connects and hands the connection to libmosquitto's own thread, which reconnects by
    /// itself (1 s doubling to 30 s). For publishers and dashboard feeds, where a PUBACK leaving
    /// early costs nothing.
    public func startBackgroundLoop() throws {
        try MQTTError.check(mosquitto_reconnect_delay_set(mosq, 1, 30, true), "set reconnect delay")
        let rc = mosquitto_connect_async(mosq, options.host, Int32(options.port), options.keepAliveSeconds)
        // A failed first connect (refused, unreachable, a TLS error) is not fatal here: the
        // loop keeps retrying. Only a call the library rejects outright is.
        if rc == Int32(MOSQ_ERR_INVAL.rawValue) || rc == Int32(MOSQ_ERR_NOMEM.rawValue) {
            try MQTTError.check(rc, "connect to \(options.endpoint)")
        }
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            handlers.onEvent(.connectionLost(reason: "connect to \(options.endpoint): \(MQTTError.text(for: rc))"))
        }
        try MQTTError.check(mosquitto_loop_start(mosq), "start network thread")
        state.withLock { $0.backgroundLoop = true }
    }

    /// Sends DISCONNECT (so no will is published), waits for the network thread and stops it.
    /// When not connected there is nothing to flush, and the thread may be inside a reconnect
    /// back-off or a failing TLS handshake that would make a polite stop wait: it is cancelled.
    public func stopBackgroundLoop() {
        guard state.withLock({ $0.backgroundLoop }) else { return }
        if isConnected {
            mosquitto_disconnect(mosq)
            mosquitto_loop_stop(mosq, false)
        } else {
            mosquitto_loop_stop(mosq, true)
        }
        state.withLock { $0.backgroundLoop = false }
    }

    /// Stops the network thread without DISCONNECT: the broker sees a dead connection and
    /// publishes the will, as it would after a power cut. For tests of the last will.
    public func abandonBackgroundLoop() {
        guard state.withLock({ $0.backgroundLoop }) else { return }
        mosquitto_loop_stop(mosq, true)
        state.withLock { $0.backgroundLoop = false }
    }
}

extension MQTTClient {
    /// The connection's socket descriptor (-1 when not connected), for tests that need to
    /// break a connection the way a crash would.
    public var socketForTests: Int32 { mosquitto_socket(mosq) }
}
