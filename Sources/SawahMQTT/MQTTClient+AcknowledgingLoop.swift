import CMosquitto
import SawahSystem

#if canImport(Glibc)
import Glibc
#endif

/// How long the acknowledging loop gathers messages before one commit.
public struct GroupCommitPolicy: Sendable {
    /// Most messages in one commit.
    public var maxBatch: Int
    /// The first message of a batch waits at most this long for others to join it.
    public var maxDelayMilliseconds: Int32
    /// A batch is committed early when no further packet arrives for this long: the stream
    /// is quiet, or the broker's in-flight window is full and it waits for our PUBACKs.
    public var idleMilliseconds: Int32

    public init(maxBatch: Int = 2000, maxDelayMilliseconds: Int32 = 20, idleMilliseconds: Int32 = 2) {
        self.maxBatch = maxBatch
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.idleMilliseconds = min(idleMilliseconds, maxDelayMilliseconds)
    }
}

extension MQTTClient {
    /// Drives the connection on the calling thread so that PUBACKs leave only after `commit`
    /// has made the messages durable (DESIGN.md invariant 1).
    ///
    /// libmosquitto 2.0.11 has no manual acknowledgement, but with `mosquitto_threaded_set` on,
    /// a PUBACK is only queued while a packet is read; it is written by `mosquitto_loop_write`.
    /// So the loop reads packets into a batch — until `policy.maxBatch`, its delay, or a quiet
    /// gap — without writing anything, hands the batch to `commit` in one call (one transaction:
    /// group commit), and only then writes the queued PUBACKs. If `commit` throws, the socket is
    /// shut without writing, the broker keeps the messages unacknowledged, and they come again
    /// after the reconnect.
    ///
    /// Returns when `requestStop()` is called, after a final commit and a clean DISCONNECT.
    /// `alive` is called at least once a second while the loop is not stuck (idle, connected,
    /// or backing off) and after every commit, so a watchdog can tell a stuck pipeline from a
    /// quiet one.
    public func runAcknowledgingLoop(
        policy: GroupCommitPolicy = GroupCommitPolicy(),
        commit: ([MQTTMessage]) throws -> Void,
        commitFailed: (any Error) -> Void,
        alive: () -> Void = {}
    ) {
        acknowledgingMode = true
        mosquitto_threaded_set(mosq, true)
        let wake = WakeSignal()
        stopWaker.withLock { $0 = wake }
        defer { stopWaker.withLock { $0 = nil } }
        var attempt = 0
        var needsConnect = true
        var batchStarted: Int64 = 0
        // Whether this connection got as far as a successful CONNACK: a broker that accepts
        // TCP but refuses the login must be backed off from, not hammered.
        var sawConnack = false
        // Commits failed in a row: a journal that keeps refusing (a full disk) is retried
        // 1, 2, 4 … 30 s apart, not every second with the same redelivered batch.
        var commitFailures = 0

        while !stopRequested.load(ordering: .acquiring) {
            if batch.isEmpty { alive() }
            if needsConnect {
                guard connectOrBackOff(attempt: &attempt, wake: wake, alive: alive) else { continue }
                needsConnect = false
            }
            let socket = mosquitto_socket(mosq)
            if socket < 0 {
                needsConnect = true
                continue
            }
            // While a batch gathers, nothing is written: its PUBACKs are already queued.
            let timeout: Int32
            if batch.isEmpty {
                timeout = idleTimeout
            } else {
                let remaining = Int32(clamping: Int64(policy.maxDelayMilliseconds) - (MonotonicClock.milliseconds() - batchStarted))
                timeout = max(0, min(policy.idleMilliseconds, remaining))
            }
            let readable = wait(on: socket, writing: batch.isEmpty && mosquitto_want_write(mosq), timeout: timeout, wake: wake)
            var rc = Int32(MOSQ_ERR_SUCCESS.rawValue)
            if readable {
                let wasEmpty = batch.isEmpty
                rc = readAvailable(socket: socket, maxBatch: policy.maxBatch)
                if wasEmpty && !batch.isEmpty { batchStarted = MonotonicClock.milliseconds() }
            }
            let due =
                !readable
                || batch.count >= policy.maxBatch
                || MonotonicClock.milliseconds() - batchStarted >= Int64(policy.maxDelayMilliseconds)
                || rc != Int32(MOSQ_ERR_SUCCESS.rawValue)
            if !batch.isEmpty && due {
                do {
                    try commit(batch)
                    batch.removeAll(keepingCapacity: true)
                    commitFailures = 0
                } catch {
                    commitFailed(error)
                    batch.removeAll(keepingCapacity: true)
                    dropWithoutAcknowledging(socket: socket)
                    needsConnect = true
                    commitFailures += 1
                    backOff(attempt: commitFailures, wake: wake, alive: alive)
                    continue
                }
            }
            if isConnected {
                if !sawConnack { MQTTCallbacks.libraryLog(on: mosq, enabled: false) }
                sawConnack = true
                attempt = 1
            }
            if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
                needsConnect = true
                if !sawConnack {
                    handlers.onEvent(.connectionLost(reason: "\(options.endpoint): \(MQTTError.text(for: rc)) before the broker accepted the session"))
                    backOff(attempt: attempt, wake: wake, alive: alive)
                }
                sawConnack = false
                continue
            }
            guard batch.isEmpty else { continue }
            if mosquitto_want_write(mosq), flush(socket: socket) != Int32(MOSQ_ERR_SUCCESS.rawValue) {
                needsConnect = true
                continue
            }
            _ = mosquitto_loop_misc(mosq)
        }

        if !batch.isEmpty {
            do {
                try commit(batch)
            } catch {
                // Not acknowledged, so the broker keeps them: close without writing.
                commitFailed(error)
                batch.removeAll()
                return
            }
            batch.removeAll()
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

    /// First connect, or reconnect; on failure reports it and backs off. True when connected.
    private func connectOrBackOff(attempt: inout Int, wake: WakeSignal, alive: () -> Void) -> Bool {
        MQTTCallbacks.libraryLog(on: mosq, enabled: true)
        let rc =
            attempt == 0
            ? mosquitto_connect(mosq, options.host, Int32(options.port), options.keepAliveSeconds)
            : mosquitto_reconnect(mosq)
        attempt += 1
        if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) { return true }
        handlers.onEvent(.connectionLost(reason: "connect to \(options.endpoint): \(MQTTError.text(for: rc))"))
        backOff(attempt: attempt, wake: wake, alive: alive)
        return false
    }

    /// Reads packets while they bring messages, up to `maxBatch` messages. Returns the first
    /// failure code, or success.
    ///
    /// The socket is non-blocking: a read with nothing waiting returns at once, having added
    /// nothing, and that ends the burst. (Asking `poll` before every packet cost one more
    /// system call per message.) A packet that is not a message (a SUBACK, a PINGRESP) also
    /// ends it; the next turn of the loop polls and carries on.
    private func readAvailable(socket: Int32, maxBatch: Int) -> Int32 {
        while true {
            let before = batch.count
            let rc = mosquitto_loop_read(mosq, 1)
            if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) { return rc }
            if batch.count >= maxBatch || batch.count == before { return rc }
        }
    }

    /// Writes every queued packet (after a commit: the batch's PUBACKs) with the socket
    /// corked, so that they leave as a few full segments instead of one 4-byte segment each
    /// (the socket has TCP_NODELAY); uncorking sends the rest at once.
    private func flush(socket: Int32) -> Int32 {
        var on: Int32 = 1
        var off: Int32 = 0
        _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &on, socklen_t(MemoryLayout<Int32>.size))
        defer { _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &off, socklen_t(MemoryLayout<Int32>.size)) }
        return mosquitto_loop_write(mosq, 1)
    }

    /// An idle loop wakes every second: to run keepalive checks and to tell a watchdog it is
    /// not stuck (one wake-up a second costs nothing measurable).
    private var idleTimeout: Int32 { 1_000 }

    /// Waits until the socket is readable (true), writable when we have output, the timeout
    /// passes, or a stop is requested.
    private func wait(on socket: Int32, writing: Bool, timeout: Int32, wake: WakeSignal) -> Bool {
        var fds = [
            pollfd(fd: socket, events: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), revents: 0),
            pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0)
        ]
        _ = poll(&fds, 2, timeout)
        return fds[0].revents & Int16(POLLIN | POLLERR | POLLHUP) != 0
    }

    /// Closes the TCP connection so that no queued PUBACK can be written.
    private func dropWithoutAcknowledging(socket: Int32) {
        shutdown(socket, Int32(SHUT_RDWR))
        _ = mosquitto_loop_read(mosq, 1)
        state.withLock { $0.connected = false }
    }

    /// 1 s doubling to 30 s with ±20 % jitter, cut short by a stop request; still alive.
    private func backOff(attempt: Int, wake: WakeSignal, alive: () -> Void) {
        let base = min(30.0, Double(1 << min(max(attempt, 1) - 1, 5)))
        var remaining = base * Double.random(in: 0.8...1.2)
        handlers.onEvent(.reconnecting(afterSeconds: remaining, attempt: attempt))
        while remaining > 0, !stopRequested.load(ordering: .acquiring) {
            alive()
            wake.wait(seconds: min(remaining, 1))
            remaining -= 1
        }
    }
}
