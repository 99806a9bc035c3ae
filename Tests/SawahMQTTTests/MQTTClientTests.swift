import Foundation
import SawahSystem
import TestSupport
import Testing

@testable import SawahMQTT

/// Against a real mosquitto on a loopback port started by the test.
@Suite(.serialized) struct MQTTClientTests {
    @Test func publishedMessagesReachASubscriber() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let subscriber = try CollectingSubscriber(port: broker.port, filter: "farm/#")
        defer { subscriber.close() }
        #expect(subscriber.wait(timeout: 5) { _ in subscriber.client.isConnected })
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        for key in 0..<10 {
            try publisher.publish(topic: "farm/plot\(key)", payload: "{\"n\":\(key)}", key: key)
        }
        #expect(publisher.waitForAcknowledgements(timeout: 5))
        #expect(publisher.acknowledged == Set(0..<10))
        #expect(subscriber.wait(timeout: 5) { $0.count == 10 })
        #expect(subscriber.received.map(\.topic).sorted() == (0..<10).map { "farm/plot\($0)" }.sorted())
    }

    /// The property the journal relies on: a message whose commit failed was not acknowledged
    /// to the broker, so the broker sends it again, until a commit succeeds.
    @Test func failedCommitsAreRedeliveredUntilOneSucceeds() async throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let attempts = LockedValue<[[String]]>([])
        let client = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "ack-test", cleanSession: false))
        try client.subscribe("sensors/#", qos: 1)
        let loop = Thread {
            client.runAcknowledgingLoop(
                commit: { messages in
                    let payloads = messages.map { String(decoding: $0.payload, as: UTF8.self) }
                    let attempt = attempts.withLock { list in
                        list.append(payloads)
                        return list.count
                    }
                    if attempt <= 2 { throw CocoaError(.fileWriteOutOfSpace) }
                }, commitFailed: { _ in })
        }
        loop.start()
        defer { client.requestStop() }
        let publisher = try ConfirmedPublisher(port: broker.port)
        defer { publisher.close() }
        try await Task.sleep(for: .milliseconds(300))
        try publisher.publish(topic: "sensors/a", payload: "one", key: 1)
        let deadline = Date().addingTimeInterval(20)
        while attempts.value.count < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        // Two failed commits, two redeliveries of the same message, then success.
        #expect(attempts.value == [["one"], ["one"], ["one"]])
        // Once committed, it is acknowledged: no fourth delivery after a reconnect.
        client.requestStop()
        try await Task.sleep(for: .milliseconds(500))
        #expect(attempts.value.count == 3)
    }

    @Test func acknowledgingLoopStopsPromptlyEvenWithoutABroker() async throws {
        let port = try freeLoopbackPort()
        let events = LockedValue<[MQTTEvent]>([])
        let client = try MQTTClient(
            options: MQTTOptions(port: port, clientID: "nobody-home", cleanSession: false),
            handlers: MQTTHandlers(onEvent: { event in events.withLock { $0.append(event) } }))
        let finished = LockedValue(false)
        let loop = Thread {
            client.runAcknowledgingLoop(commit: { _ in }, commitFailed: { _ in })
            finished.withLock { $0 = true }
        }
        loop.start()
        try await Task.sleep(for: .milliseconds(300))
        client.requestStop()
        let deadline = Date().addingTimeInterval(3)
        while !finished.value && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(finished.value)
        #expect(events.value.contains { if case .connectionLost = $0 { true } else { false } })
    }

    @Test func lastWillIsPublishedWhenAConnectionDies() throws {
        let broker = try MosquittoBroker()
        defer { broker.shutdown() }
        let subscriber = try CollectingSubscriber(port: broker.port, filter: "sawah/+/status")
        defer { subscriber.close() }
        #expect(subscriber.wait(timeout: 5) { _ in subscriber.client.isConnected })
        let client = try MQTTClient(
            options: MQTTOptions(
                port: broker.port, clientID: "will-test", keepAliveSeconds: 5,
                will: .init(topic: "sawah/gw/status", payload: Array("offline".utf8))))
        try client.startBackgroundLoop()
        let deadline = Date().addingTimeInterval(5)
        while !client.isConnected && Date() < deadline { usleep(20_000) }
        client.abandonBackgroundLoop()
        // Ending the connection without DISCONNECT is what a crash looks like to the broker.
        // shutdown, not close: libmosquitto still owns the descriptor and closes it itself,
        // and a second close could hit a descriptor another test has opened since.
        let fd = client.socketForTests
        #expect(fd >= 0)
        shutdown(fd, Int32(SHUT_RDWR))
        #expect(
            subscriber.wait(timeout: 10) { messages in
                messages.contains { $0.topic == "sawah/gw/status" && $0.payload == Array("offline".utf8) }
            })
    }

    @Test func badTLSFilesAreReportedWithTheFileName() {
        #expect {
            _ = try MQTTClient(options: MQTTOptions(clientID: "tls", tls: .init(caFile: "/nonexistent/ca.pem")))
        } throws: { error in
            "\(error)".contains("/nonexistent/ca.pem")
        }
    }
}
