import ArgumentParser
import Foundation
import SawahMQTT
import SawahSystem

/// A field node that publishes realistic readings for the sample config's sensors, so the
/// demo runs without hardware.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Publish realistic field readings (the sample config's topics) to an MQTT broker.")

    @Option(help: "Broker host.") var host = "127.0.0.1"
    @Option(help: "Broker port.") var port = 1883
    @Option(help: "Seconds between rounds of readings.") var interval: Double = 2
    @Option(help: "Stop after this many rounds (default: run until interrupted).") var rounds: Int?
    @Option(help: "Simulated time step per round in minutes, to show a day's curve quickly.") var minutesPerRound: Double = 10

    func run() throws {
        let acknowledged = Counter()
        let client = try MQTTClient(
            options: MQTTOptions(host: host, port: port, clientID: "sawah-simulated-node-\(getpid())"),
            handlers: MQTTHandlers(onPublishAcknowledged: { _ in acknowledged.increment() }))
        try client.startBackgroundLoop()
        defer { client.stopBackgroundLoop() }
        var node = FieldNodeSimulator(startTime: Date())
        var round = 0
        while rounds.map({ round < $0 }) ?? true {
            for message in node.nextRound(advancingMinutes: minutesPerRound) {
                try client.publish(topic: message.topic, text: message.payload, qos: 1)
                print("\(message.topic) \(message.payload)")
            }
            fflush(nil)
            round += 1
            Thread.sleep(forTimeInterval: interval)
        }
        Thread.sleep(forTimeInterval: 0.5)
        FileHandle.standardError.write(Data("simulate: \(acknowledged.value) messages acknowledged by the broker\n".utf8))
    }
}

/// Counts PUBACKs from libmosquitto's thread.
final class Counter: Sendable {
    private let count = LockedValue(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.value }
}
