import Crypto
import Foundation
import NIOPosix
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability
@testable import SawahUplink

/// The running platform, as a client would meet it: every route needs a token, a gateway's
/// token delivers that gateway's chain only, and the uplink counts a 409 as delivered only when
/// the platform holds these very bytes.
@Suite(.serialized) struct PlatformAccessTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let operatorToken = "operator-token-000000000001"
    static let farmToken = "farm1-token-0000000000001"

    func platform(in directory: TemporaryDirectory) throws -> PlatformProcess {
        try directory.write("# test clients\n\(Self.operatorToken)\ngw-test \(Self.farmToken)\n", to: "tokens")
        try directory.write(Self.operatorToken + "\n", to: "operator")
        try directory.write(Self.farmToken + "\n", to: "farm")
        try directory.write("unknown-token-0000000000001\n", to: "stranger")
        for name in ["tokens", "operator", "farm", "stranger"] { chmod(directory.file(name), 0o600) }
        return try PlatformProcess(arguments: ["--token-file", directory.file("tokens")])
    }

    func transport(_ platform: PlatformProcess, token file: String?, path: String = "/credentials") throws -> PlatformTransport {
        var settings = PlatformConfiguration(id: "ref", kind: .credentials, url: platform.baseURL + path)
        if let file { settings.authentication = .bearer(tokenFile: file) }
        return try PlatformTransport(platform: settings, identityKeyFile: nil, eventLoopGroup: Self.group)
    }

    @Test func everyRouteNeedsAToken() async throws {
        let directory = try TemporaryDirectory(prefix: "platform-access")
        defer { directory.remove() }
        let platform = try platform(in: directory)
        defer { platform.remove() }
        for (file, expected) in [(nil, 401), (directory.file("stranger"), 401), (directory.file("operator"), 200)] as [(String?, UInt)] {
            let client = try transport(platform, token: file)
            for path in ["/stats", "/capture/1", "/events/x"] {
                let status = try await client.send(.GET, platform.baseURL + path).status
                #expect(expected == 401 ? status == 401 : status != 401, "GET \(path) with \(file ?? "no token"): \(status)")
            }
            #expect(try await client.send(.OPTIONS, platform.baseURL + "/capture").status == (expected == 401 ? 401 : 204))
            await client.shutdown()
        }
    }

    @Test func aGatewaysTokenDeliversItsOwnChainOnlyAndADifferentCertificateIsADeadLetter() async throws {
        let directory = try TemporaryDirectory(prefix: "platform-binding")
        defer { directory.remove() }
        let platform = try platform(in: directory)
        defer { platform.remove() }
        let key = P256.Signing.PrivateKey()
        let ours = try SampleChain.bundles(2, key: key)
        let theirs = try SampleChain.bundles(1, gateway: "gw-other")
        let farm = CredentialsClient(transport: try transport(platform, token: directory.file("farm")))
        #expect(await farm.deliver(ours[0]) == .delivered(note: nil))
        #expect(await farm.deliver(ours[0]) == .delivered(note: "the platform already had it"), "a resend of the same bytes")
        guard case .dead(let reason) = await farm.deliver(theirs[0]) else {
            Issue.record("another gateway's chain must be refused")
            return
        }
        #expect(reason.contains("403") && reason.contains("gw-test"), "\(reason)")
        // Another certificate under our id 1 (re-signed by another key): never "delivered".
        let impostor = try SampleChain.bundles(1, key: P256.Signing.PrivateKey())[0]
        guard case .dead(let conflict) = await farm.deliver(impostor) else {
            Issue.record("a different certificate under a held id")
            return
        }
        #expect(conflict.contains("holds a different certificate under this id"), "\(conflict)")
        #expect(await farm.deliver(ours[1]) == .delivered(note: nil))
        await farm.transport.shutdown()
        // The operator's token may deliver any gateway's chain.
        let operatorClient = CredentialsClient(transport: try transport(platform, token: directory.file("operator")))
        #expect(await operatorClient.deliver(theirs[0]) == .delivered(note: nil))
        await operatorClient.transport.shutdown()
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == 3)
        #expect(try platform.counter("foreign_chain") == 1)
        #expect(try platform.counter("conflicting_certificates") == 1)
    }
}
