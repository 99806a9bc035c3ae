import Foundation
import NIOPosix
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability
@testable import SawahUplink

/// The transport against a real reference platform: credentials, gzip, TLS trust and client
/// certificates, each refusal named.
@Suite(.serialized) struct PlatformTransportTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A one-event EPCIS document whose eventID is its canonical hash.
    static func item(_ batch: Int64) throws -> CaptureItem {
        var event: [String: JSONValue] = [
            "type": .string("ObjectEvent"), "eventTime": .string("2026-11-29T03:00:00.000Z"), "eventTimeZoneOffset": .string("+07:00"),
            "epcList": .array([.string("https://id.gs1.org/01/09506000134352/10/T\(batch)")]), "action": .string("OBSERVE"),
            "bizStep": .string("sensor_reporting")
        ]
        event["eventID"] = .string(EventHash(context: nil).eventID(for: .object(event)))
        let document: JSONValue = .object([
            "@context": .array([.string(EPCISDocumentBuilder.contextURL)]), "type": .string("EPCISDocument"),
            "schemaVersion": .string("2.0"), "creationDate": .string("2026-11-29T03:00:01.000Z"),
            "epcisBody": .object(["eventList": .array([.object(event)])])
        ])
        return try CaptureItem(batch: batch, document: Array(JSONText.serialize(document).utf8))
    }

    @Test func aBearerTokenAndGzipReachThePlatformAndAWrongTokenIsADeadLetter() async throws {
        let secrets = try TemporaryDirectory(prefix: "uplink-token")
        defer { secrets.remove() }
        try secrets.write("s3cret-token-for-the-uplink-test\n", to: "token")
        try secrets.write("wrong\n", to: "wrong")
        for name in ["token", "wrong"] { chmod(secrets.file(name), 0o600) }
        let platform = try PlatformProcess(arguments: ["--token-file", secrets.file("token")])
        defer { platform.remove() }
        var settings = PlatformConfiguration(id: "ref", kind: .epcis, url: platform.baseURL)
        settings.gzip = true
        settings.authentication = .bearer(tokenFile: secrets.file("token"))
        let good = try PlatformTransport(platform: settings, identityKeyFile: nil, eventLoopGroup: Self.group)
        let client = EPCISCaptureClient(transport: good)
        let items = [try Self.item(1), try Self.item(2)]
        #expect(await client.deliver(items) == [1: .delivered(note: nil), 2: .delivered(note: nil)])
        // Sent again, the platform already has them: delivered, not dead.
        #expect(
            await client.deliver(items) == [
                1: .delivered(note: "the platform already had its events"), 2: .delivered(note: "the platform already had its events")
            ])
        await good.shutdown()
        #expect(try platform.count("SELECT COUNT(*) FROM events") == 2)

        settings.authentication = .bearer(tokenFile: secrets.file("wrong"))
        let bad = try PlatformTransport(platform: settings, identityKeyFile: nil, eventLoopGroup: Self.group)
        let outcome = await EPCISCaptureClient(transport: bad).deliver([try Self.item(3)])
        #expect(outcome[3] == .dead(reason: "HTTP 401: Unauthorised: a valid bearer token is required (epcisException:SecurityException)"))
        await bad.shutdown()
    }

    @Test func tlsRefusesAnUntrustedPlatformAndThePlatformRefusesAnUnknownClient() async throws {
        let pki = try TemporaryDirectory(prefix: "uplink-pki")
        defer { pki.remove() }
        let platformCA = try TestCertificates(in: pki, name: "platform")
        let otherCA = try TestCertificates(in: pki, name: "other")
        let platform = try PlatformProcess(
            arguments: [
                "--tls-cert", platformCA.serverCertFile, "--tls-key", platformCA.serverKeyFile,
                "--client-ca", platformCA.caFile
            ], tls: true)
        defer { platform.remove() }
        // A client key whose certificate the platform's CA did not issue.
        let key = pki.file("stranger.pem")
        let result = try ChildProcess.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", key + ".chain.pem", "-days", "1", "-subj", "/CN=stranger"
            ])
        #expect(result.status == 0, "\(result.output)")

        var settings = PlatformConfiguration(id: "ref", kind: .credentials, url: platform.baseURL + "/credentials")
        settings.caFile = otherCA.caFile
        settings.clientCertificate = true
        settings.connectTimeoutSeconds = 2
        settings.requestTimeoutSeconds = 3
        let untrusting = try PlatformTransport(platform: settings, identityKeyFile: key, eventLoopGroup: Self.group)
        let refused = await CredentialsClient(transport: untrusting).deliver(
            CertificateBundle(number: 1, certificateID: "urn:x:1", jws: "x", epcis: [], rawSeries: []))
        await untrusting.shutdown()
        guard case .retry(let reason, _) = refused else {
            Issue.record("expected a retry, got \(refused)")
            return
        }
        #expect(reason.contains("TLS") || reason.lowercased().contains("certificate"), "\(reason)")

        settings.caFile = platformCA.caFile
        let stranger = try PlatformTransport(platform: settings, identityKeyFile: key, eventLoopGroup: Self.group)
        let rejected = await CredentialsClient(transport: stranger).deliver(
            CertificateBundle(number: 1, certificateID: "urn:x:1", jws: "x", epcis: [], rawSeries: []))
        await stranger.shutdown()
        guard case .retry(let why, _) = rejected else {
            Issue.record("a refused handshake is a transport failure, got \(rejected)")
            return
        }
        print("uplink TLS: untrusted platform → \(reason); unknown client → \(why)")
        #expect(try platform.count("SELECT COUNT(*) FROM certificates") == 0)
    }

    @Test func unusableSettingsAreNamedBeforeAnythingIsSent() throws {
        var settings = PlatformConfiguration(id: "ref", kind: .epcis, url: "https://127.0.0.1:9")
        settings.disclosure.location = .exact  // a profile that needs no signed copies
        settings.caFile = "/nonexistent/ca.pem"
        settings.authentication = .apiKey(header: "X-API-Key", keyFile: "/nonexistent/key")
        var problems = UplinkService.check([settings], identityKeyFile: nil)
        #expect(problems.map(\.description) == ["[[platforms]] ref: cannot read ca_file /nonexistent/ca.pem"])
        settings.caFile = nil
        problems = UplinkService.check([settings], identityKeyFile: nil)
        #expect(problems.map(\.description) == ["[[platforms]] ref: cannot read the credential file /nonexistent/key"])
        settings.authentication = nil
        settings.clientCertificate = true
        problems = UplinkService.check([settings], identityKeyFile: "/nonexistent/identity.pem")
        #expect(problems.first?.description.contains("client_certificate: cannot load the gateway's key /nonexistent/identity.pem") == true)
        // The default profile drops coordinates: its copies are signed with the gateway's key.
        settings.clientCertificate = false
        settings.disclosure = DisclosureProfile()
        problems = UplinkService.check([settings], identityKeyFile: "/nonexistent/identity.pem")
        #expect(problems.first?.description.contains("its disclosure profile needs derived copies signed with the gateway's key") == true, "\(problems)")
    }
}
