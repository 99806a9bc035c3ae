import CMosquitto
#if canImport(Glibc)
import Glibc
#endif

extension MQTTClient {
    /// Drives the connection on the calling thread so that PUBACKs leave only after `commit`
    /// has made the messages durable (DESIGN.md invariant 1).
    ///
    /// libmosquitto 2.0.11 has no manual acknowledgement, but with `mosquitto_threaded_set` on,
    /// a PUBACK is only queued while a packet is read; it is written by `mosquitto_loop_write`.
    /// So each turn reads every packet that is waiting (up to `maxBatch`), hands the messages to
    /// `commit` in one call (one transaction: group commit), and only then writes the queued
    /// PUBACKs. If `commit` throws, the socket is shut without writing, the broker keeps the
    /// messages unacknowledged, and they come again after the reconnect.
    ///
    /// Returns when `requestStop()` is called, after a final commit and a clean DISCONNECT.
    public func runAcknowledgingLoop(
        maxBatch: Int = 2000,
        commit: ([MQTTMessage]) throws -> Void,
        commitFailed: (any Error) -> Void
    ) {
        acknowledgingMode = true
        mosquitto_threaded_set(mosq, true)
        let wake = WakeSignal()
        stopWaker.withLock { $0 = wake }
        defer { stopWaker.withLock { $0 = nil } }
        var attempt = 0
        var needsConnect = true

        while !stopRequested.load(ordering: .acquiring) {
            if needsConnect {
                let rc = attempt == 0
                    ? mosquitto_connect(mosq, options.host, Int32(options.port), options.keepAliveSeconds)
                    : mosquitto_reconnect(mosq)
                if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
                    needsConnect = false
                } else {
                    handlers.onEvent(.connectionLost(reason: "connect to \(options.endpoint): \(MQTTError.text(for: rc))"))
                }
                attempt += 1
                if needsConnect {
                    backOff(attempt: attempt, wake: wake)
                    continue
                }
            }
            let socket = mosquitto_socket(mosq)
            if socket < 0 {
                needsConnect = true
                backOff(attempt: max(attempt, 1), wake: wake)
                attempt += 1
                continue
            }
            let readable = wait(on: socket, writing: mosquitto_want_write(mosq), wake: wake)
            if readable {
                let rc = readAvailable(socket: socket, maxBatch: maxBatch)
                if !batch.isEmpty {
                    do {
                        try commit(batch)
                    } catch {
                        commitFailed(error)
                        batch.removeAll(keepingCapacity: true)
                        dropWithoutAcknowledging(socket: socket)
                        needsConnect = true
                        backOff(attempt: max(attempt, 1), wake: wake)
                        continue
                    }
                    batch.removeAll(keepingCapacity: true)
                }
                if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
                    needsConnect = true
                    continue
                }
            }
            if isConnected { attempt = 1 }
            if mosquitto_want_write(mosq) {
                let rc = mosquitto_loop_write(mosq, 1)
                if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) { needsConnect = true; continue }
            }
            _ = mosquitto_loop_misc(mosq)
        }

        if mosquitto_socket(mosq) >= 0 {
            mosquitto_disconnect(mosq)
            _ = mosquitto_loop_write(mosq, 1)
        }
    }

    /// Ends `runAcknowledgingLoop` from any thread.
    public func requestStop() {
        stopRequested.store(true, ordering: .releasing)
        stopWaker.withLock { $0?.signal() }
    }

    /// Reads packets while the socket has data, up to `maxBatch` messages. Returns the first
    /// failure code, or success.
    private func readAvailable(socket: Int32, maxBatch: Int) -> Int32 {
        while true {
            let rc = mosquitto_loop_read(mosq, 1)
            if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) { return rc }
            if batch.count >= maxBatch { return rc }
            var probe = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if poll(&probe, 1, 0) <= 0 { return rc }
        }
    }

    /// Waits until the socket is readable (true), writable when we have output, or a stop.
    private func wait(on socket: Int32, writing: Bool, wake: WakeSignal) -> Bool {
        var fds = [
            pollfd(fd: socket, events: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), revents: 0),
            pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0),
        ]
        // The timeout only bounds the gap between keepalive checks in loop_misc.
        let timeout = Int32(max(1, min(Int(options.keepAliveSeconds), 10)) * 1000 / 2)
        _ = poll(&fds, 2, timeout)
        return fds[0].revents & Int16(POLLIN | POLLERR | POLLHUP) != 0
    }

    /// Closes the TCP connection so that no queued PUBACK can be written.
    private func dropWithoutAcknowledging(socket: Int32) {
        shutdown(socket, Int32(SHUT_RDWR))
        _ = mosquitto_loop_read(mosq, 1)
        state.withLock { $0.connected = false }
    }

    /// 1 s doubling to 30 s with ±20 % jitter, cut short by a stop request.
    private func backOff(attempt: Int, wake: WakeSignal) {
        let base = min(30.0, Double(1 << min(attempt - 1, 5)))
        let delay = base * Double.random(in: 0.8...1.2)
        handlers.onEvent(.reconnecting(afterSeconds: delay, attempt: attempt))
        wake.wait(seconds: delay)
    }
}
