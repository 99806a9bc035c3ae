import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahProvisioning

/// The broker renderer's checks and mosquitto's password format, without a broker. (The
/// rendered broker started for real, with sawahd behind it: SystemTests'
/// BrokerProvisioningEndToEndTests.)
@Suite struct BrokerProvisioningTests {
    @Test func theHashIsMosquittosPBKDF2Format() throws {
        // PBKDF2-HMAC-SHA512 of "password" with salt "saltsaltsalt", 1 round (RFC 6070-style check by length and shape).
        let hash = try MosquittoPasswordHash.hash(password: "password", salt: Array("saltsaltsalt".utf8), iterations: 1)
        let parts = hash.split(separator: "$")
        #expect(parts.count == 4 && parts[0] == "7" && parts[1] == "1" && parts[2] == "c2FsdHNhbHRzYWx0")
        #expect(Data(base64Encoded: String(parts[3]))?.count == 64)
        #expect(try MosquittoPasswordHash.hash(password: "password", salt: Array("saltsaltsalt".utf8)) != hash, "iterations change the hash")
    }

    @Test func aMalformedPasswordFileIsNamed() throws {
        let directory = try TemporaryDirectory(prefix: "sawah-passwd")
        defer { directory.remove() }
        try directory.write("node-a:$7$1$x$y\nbroken line\n", to: "passwords")
        #expect(throws: ProvisioningError.malformed(file: directory.file("passwords"), line: 2, problem: "expected user:hash")) {
            try PasswordFile.load(directory.file("passwords"))
        }
    }

    @Test func topicsThatWouldLetOneNodeWriteAnothersAreRefused() throws {
        let directory = try TemporaryDirectory(prefix: "sawah-broker-acl")
        defer { directory.remove() }
        var config = try ProvisioningFixture.config(in: directory, port: 1883)
        #expect(BrokerRenderer.aclProblems(config).isEmpty)
        config.sensors[1].topic = "farm/+/soil"
        config.sensors[2].topic = "farm/a/soil/sensor/x/state"  // ESPHome: node-c would own farm/#
        let problems = BrokerRenderer.aclProblems(config)
        #expect(problems.contains { $0.hasPrefix("sensor b-soil: topic \"farm/+/soil\" has a wildcard") }, "\(problems)")
        #expect(
            problems.contains { $0.contains("sensor a-soil of node node-a publishes to \"farm/a/soil\", which node node-c may also write (\"farm/#\")") },
            "\(problems)")
        #expect(throws: ProvisioningError.self) { try NodeProvisioner(config: config).renderBroker() }
        #expect(throws: ProvisioningError.self) { try NodeProvisioner(config: config).add(node: "node-a") }
        #expect(!FileManager.default.fileExists(atPath: directory.file("broker/acl")), "nothing is written")
    }
}
