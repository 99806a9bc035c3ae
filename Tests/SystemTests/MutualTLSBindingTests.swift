import Crypto
import Foundation
import NIOPosix
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability
@testable import SawahUplink

/// Under mutual TLS a client certificate delivers the chains of the gateways it names, and no
/// other: a CA-issued certificate for one farm cannot start or continue another farm's chain.
@Suite(.serialized) struct MutualTLSBindingTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A client key and its CA-signed chain beside it (where the uplink looks), with `subject`
    /// and, when given, extra request extensions.
    static func client(_ name: String, subject: String, extensions: [String] = [], ca: TestCertificates, in directory: TemporaryDirectory) throws -> String {
        let key = directory.file("\(name).key")
        let csr = directory.file("\(name).csr")
        var arguments = ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", subject]
        for extensionText in extensions { arguments += ["-addext", extensionText] }
        let result = try ChildProcess.run("/usr/bin/openssl", arguments)
        #expect(result.status == 0, "\(result.output)")
        let chain = try ca.signClient(csr: csr, into: directory, name: name)
        try FileManager.default.copyItem(atPath: chain, toPath: GatewayIdentity.chainPath(forKey: key))
        return key
    }

    static func deliverer(_ platform: PlatformProcess, ca: TestCertificates, key: String) throws -> CredentialsClient {
        var settings = PlatformConfiguration(id: "ref", kind: .credentials, url: platform.baseURL + "/credentials")
        settings.caFile = ca.caFile
        settings.clientCertificate = true
        return CredentialsClient(transport: try PlatformTransport(platform: settings, identityKeyFile: key, eventLoopGroup: group))
    }

    @Test func aClientCertificateDeliversTheChainsOfTheGatewaysItNames() async throws {
        let pki = try TemporaryDirectory(prefix: "platform-mtls")
        defer { pki.remove() }
        let ca = try TestCertificates(in: pki, name: "platform")
        let platform = try PlatformProcess(arguments: ["--tls-cert", ca.serverCertFile, "--tls-key", ca.serverKeyFile, "--client-ca", ca.caFile], tls: true)
        defer { platform.remove() }
        let ours = try SampleChain.bundles(2)
        let theirs = try SampleChain.bundles(1, gateway: "gw-other")

        // Named by the URI `sawah identity csr` asks for.
        let farm = try Self.deliverer(
            platform, ca: ca,
            key: Self.client(
                "farm", subject: "/CN=Farm one gateway",
                extensions: ["subjectAltName=URI:urn:sawah:gateway:gw-test"], ca: ca, in: pki))
        #expect(await farm.deliver(ours[0]) == .delivered(note: nil))
        guard case .dead(let reason) = await farm.deliver(theirs[0]) else {
            Issue.record("another gateway's chain must be refused")
            return
        }
        #expect(reason.contains("403") && reason.contains("speaks for Farm one gateway, gw-test") && reason.contains("Farm one gateway"), "\(reason)")
        #expect(await farm.deliver(ours[1]) == .delivered(note: nil))
        await farm.transport.shutdown()

        // Named by the common name alone.
        let other = try Self.deliverer(platform, ca: ca, key: Self.client("other", subject: "/CN=gw-other", ca: ca, in: pki))
        #expect(await other.deliver(theirs[0]) == .delivered(note: nil))
        await other.transport.shutdown()

        // A certificate naming no gateway of ours cannot continue or restart the chain.
        let stranger = try Self.deliverer(
            platform, ca: ca,
            key: Self.client(
                "stranger", subject: "/CN=integration.example",
                extensions: ["subjectAltName=DNS:integration.example,URI:https://integration.example"], ca: ca, in: pki))
        let next = try SampleChain.next(number: 3, after: ours[1], key: P256.Signing.PrivateKey())
        guard case .dead(let refused) = await stranger.deliver(next) else {
            Issue.record("a certificate naming no gateway of ours")
            return
        }
        #expect(refused.contains("speaks for integration.example;"), "\(refused)")
        await stranger.transport.shutdown()

        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == 3)
        #expect(try platform.counter("foreign_chain") == 2)
    }
}
