import Foundation
import SawahMQTT
import Synchronization

/// Publishes numbered QoS 1 messages carrying their publish time, as fast as the broker takes
/// them or at a fixed rate.
///
/// It keeps at most `window` messages unacknowledged itself, with libmosquitto's own limit off:
/// libmosquitto 2.0.11 with a limit can send queued messages twice (see ConfirmedPublisher),
/// and with no window at all its PUBACK handling, a linear search of everything in flight,
/// slows a 200,000-message flood to a crawl.
final class FloodPublisher {
    let client: MQTTClient
    private let outstanding: Counter
    let window: Int64

    final class Counter: Sendable {
        let value = Atomic<Int64>(0)
    }

    init(port: Int, window: Int64 = 1_000) throws {
        let outstanding = Counter()
        self.outstanding = outstanding
        self.window = window
        client = try MQTTClient(
            options: MQTTOptions(port: port, clientID: "bench-pub-\(getpid())-\(UInt16.random(in: 0...UInt16.max))", maxInflightMessages: 0),
            handlers: MQTTHandlers(onPublishAcknowledged: { _ in outstanding.value.subtract(1, ordering: .relaxed) }))
        try client.startBackgroundLoop()
        let deadline = Date().addingTimeInterval(5)
        while !client.isConnected && Date() < deadline { usleep(5_000) }
    }

    /// Messages `first..<first+count` on `topic`; `perSecond` nil means as fast as possible.
    func publish(topic: String, first: Int, count: Int, perSecond: Double?) throws {
        let start = Date()
        for index in 0..<count {
            while outstanding.value.load(ordering: .relaxed) >= window { usleep(50) }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            outstanding.value.add(1, ordering: .relaxed)
            try client.publish(topic: topic, text: "{\"seq\": \(first + index), \"time\": \(now)}", qos: 1)
            if let perSecond {
                let due = start.addingTimeInterval(Double(index + 1) / perSecond).timeIntervalSinceNow
                if due > 0 { usleep(useconds_t(due * 1_000_000)) }
            }
        }
    }

    func close() {
        client.stopBackgroundLoop()
    }
}
