import Foundation
import TestSupport
import Testing

@testable import SawahJournal

/// TLS with certificate verification, and username/password from a file, against a real
/// mosquitto with a TLS listener.
@Suite(.serialized) struct SecureBrokerTests {
    struct Setup {
        let broker: MosquittoBroker
        let certificates: TemporaryDirectory
        let trusted: TestCertificates
        let stranger: TestCertificates
    }

    func makeBroker() throws -> Setup {
        let directory = try TemporaryDirectory(prefix: "sawah-certs")
        let trusted = try TestCertificates(in: directory, name: "farm")
        let stranger = try TestCertificates(in: directory, name: "other")
        let broker = try MosquittoBroker(tls: .init(certificates: trusted, users: ["gateway": "s3cret-pass"]))
        return Setup(broker: broker, certificates: directory, trusted: trusted, stranger: stranger)
    }

    func mqttTable(_ setup: Setup, caFile: String, password: String, harness directory: String) throws -> String {
        let passwordFile = directory + "-mqtt-password"
        try (password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile, 0o600)
        return """
            [mqtt]
            host = "127.0.0.1"
            port = \(setup.broker.tlsPort!)
            username = "gateway"
            password_file = "\(passwordFile)"
            tls_ca_file = "\(caFile)"
            """
    }

    @Test func readingsArriveOverTLSWithAPasswordFromAFile() throws {
        let setup = try makeBroker()
        defer {
            setup.broker.shutdown()
            setup.certificates.remove()
        }
        let mqtt = try mqttTable(setup, caFile: setup.trusted.caFile, password: "s3cret-pass", harness: setup.certificates.file("ok"))
        let gateway = try GatewayHarness(broker: setup.broker, mqtt: mqtt)
        defer { gateway.remove() }
        try gateway.start()
        let publisher = try ConfirmedPublisher(port: setup.broker.port)
        defer { publisher.close() }
        try publisher.publish(topic: "test/counter", payload: "{\"seq\": 42}", key: 42)
        #expect(publisher.waitForAcknowledgements(timeout: 10))
        let reader = try JournalReader(path: gateway.journalPath)
        let deadline = Date().addingTimeInterval(10)
        while try reader.lastSequence() < 1, Date() < deadline { usleep(20_000) }
        #expect(try reader.readings(afterSeq: 0, limit: 5).map(\.reading.value) == [42])
        #expect(!gateway.daemon.log.contains("s3cret-pass"), "the password must never be logged")
        #expect(gateway.daemon.stop() == 0, "sawahd did not stop cleanly; log:\n\(gateway.daemon.log)")
    }

    @Test func aWrongPasswordIsRefusedAndRetriedWithoutCrashing() throws {
        let setup = try makeBroker()
        defer {
            setup.broker.shutdown()
            setup.certificates.remove()
        }
        let mqtt = try mqttTable(setup, caFile: setup.trusted.caFile, password: "guess", harness: setup.certificates.file("bad"))
        let gateway = try GatewayHarness(broker: setup.broker, mqtt: mqtt)
        defer { gateway.remove() }
        try gateway.daemon.start()
        let deadline = Date().addingTimeInterval(10)
        // The refusal is logged when the CONNACK is read, the retry when the broker's close is:
        // two reads apart, so wait for both.
        while !(gateway.daemon.log.contains("refused the connection") && gateway.daemon.log.contains("reconnecting")), Date() < deadline {
            usleep(50_000)
        }
        #expect(gateway.daemon.log.contains("MQTT broker refused the connection"))
        #expect(gateway.daemon.log.contains("reconnecting"))
        #expect(gateway.daemon.isRunning)
        #expect(gateway.daemon.stop() == 0, "sawahd did not stop cleanly; log:\n\(gateway.daemon.log)")
    }

    @Test func aBrokerSignedByAnUntrustedCAIsNotTalkedTo() throws {
        let setup = try makeBroker()
        defer {
            setup.broker.shutdown()
            setup.certificates.remove()
        }
        let mqtt = try mqttTable(setup, caFile: setup.stranger.caFile, password: "s3cret-pass", harness: setup.certificates.file("mitm"))
        let gateway = try GatewayHarness(broker: setup.broker, mqtt: mqtt)
        defer { gateway.remove() }
        try gateway.daemon.start()
        let deadline = Date().addingTimeInterval(10)
        while !gateway.daemon.log.contains("reconnecting"), Date() < deadline { usleep(50_000) }
        #expect(!gateway.daemon.log.contains("MQTT connected"))
        #expect(gateway.daemon.log.contains("MQTT connection lost"))
        #expect(gateway.daemon.log.contains("certificate verify failed"))
        #expect(gateway.daemon.isRunning)
        #expect(gateway.daemon.stop() == 0, "sawahd did not stop cleanly; log:\n\(gateway.daemon.log)")
    }
}
