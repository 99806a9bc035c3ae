import Foundation
import SawahMQTT

/// Publishes numbered QoS 1 messages carrying their publish time, as fast as the broker takes
/// them or at a fixed rate.
final class FloodPublisher {
    let client: MQTTClient

    init(port: Int) throws {
        // No in-flight limit: with one, libmosquitto 2.0.11 can send queued messages twice
        // (see ConfirmedPublisher), which would inflate the figures.
        client = try MQTTClient(options: MQTTOptions(port: port, clientID: "bench-pub-\(getpid())", maxInflightMessages: 0))
        try client.startBackgroundLoop()
        let deadline = Date().addingTimeInterval(5)
        while !client.isConnected && Date() < deadline { usleep(5_000) }
    }

    /// Messages `first..<first+count` on `topic`; `perSecond` nil means as fast as possible.
    func publish(topic: String, first: Int, count: Int, perSecond: Double?) throws {
        let start = Date()
        for index in 0..<count {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
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
