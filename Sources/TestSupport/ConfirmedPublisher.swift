import Foundation
import SawahMQTT
import SawahSystem

/// A QoS 1 publisher that records which messages the broker acknowledged (PUBACK), so a test
/// can check that every acknowledged message reached the journal.
public final class ConfirmedPublisher: Sendable {
    struct State: Sendable {
        var pending: [Int32: Int] = [:]
        var acknowledged: Set<Int> = []
        /// PUBACKs that overtook `publish` returning the mid.
        var early: Set<Int32> = []
    }

    private let state = LockedValue(State())
    public let client: MQTTClient

    /// `maxInflight` 0 (no limit) on purpose: libmosquitto 2.0.11 with a limit, flooded with
    /// more messages than it allows in flight, was seen here to send a block of its locally
    /// queued messages twice (5,000 published, 6,000 delivered to a plain subscriber in one run
    /// of six), which the broker must treat as new messages.
    public init(port: Int, clientID: String = "test-publisher-\(UInt32.random(in: 0...UInt32.max))", maxInflight: Int32 = 0) throws {
        let state = self.state
        client = try MQTTClient(
            options: MQTTOptions(port: port, clientID: clientID, cleanSession: false, maxInflightMessages: maxInflight),
            handlers: MQTTHandlers(onPublishAcknowledged: { mid in
                state.withLock { state in
                    if let key = state.pending.removeValue(forKey: mid) {
                        state.acknowledged.insert(key)
                    } else {
                        state.early.insert(mid)
                    }
                }
            }))
        try client.startBackgroundLoop()
    }

    /// Publishes `payload`, remembering it as message `key` until its PUBACK arrives.
    public func publish(topic: String, payload: String, key: Int) throws {
        // Not under our lock: libmosquitto holds its own locks while it calls back, and
        // publishing under ours would deadlock with the PUBACK callback.
        let mid = try client.publish(topic: topic, text: payload, qos: 1)
        state.withLock { state in
            if state.early.remove(mid) != nil {
                state.acknowledged.insert(key)
            } else {
                state.pending[mid] = key
            }
        }
    }

    /// Keys whose PUBACK has arrived.
    public var acknowledged: Set<Int> { state.withLock { $0.acknowledged } }

    /// Waits until nothing is awaiting a PUBACK, or the timeout passes; true when drained.
    public func waitForAcknowledgements(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if state.withLock({ $0.pending.isEmpty }) { return true }
            usleep(20_000)
        }
        return false
    }

    public func close() {
        client.stopBackgroundLoop()
    }
}

/// Collects what a subscriber receives, for tests of what others publish.
public final class CollectingSubscriber: Sendable {
    private let messages = LockedValue<[MQTTMessage]>([])
    public let client: MQTTClient

    public init(port: Int, filter: String) throws {
        let messages = self.messages
        client = try MQTTClient(
            options: MQTTOptions(port: port, clientID: "test-sub-\(UInt32.random(in: 0...UInt32.max))"),
            handlers: MQTTHandlers(onMessage: { message in messages.withLock { $0.append(message) } }))
        try client.subscribe(filter, qos: 1)
        try client.startBackgroundLoop()
    }

    public var received: [MQTTMessage] { messages.withLock { $0 } }

    /// Waits until `predicate` holds for what was received, or the timeout passes.
    public func wait(timeout: TimeInterval, until predicate: ([MQTTMessage]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(received) { return true }
            usleep(20_000)
        }
        return predicate(received)
    }

    public func close() {
        client.stopBackgroundLoop()
    }
}
