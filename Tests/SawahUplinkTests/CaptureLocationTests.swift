import NIOPosix
import Testing

@testable import SawahCore
@testable import SawahUplink

/// A platform's capture-job `Location` is followed only on the platform's own origin, so the
/// gateway's token and client certificate never go anywhere else.
@Suite struct CaptureLocationTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    @Test func onlyTheSameSchemeHostAndPortAreFollowed() async throws {
        let transport = try PlatformTransport(
            platform: PlatformConfiguration(id: "p", kind: .epcis, url: "https://epcis.example.my:8443/api"),
            identityKeyFile: nil, eventLoopGroup: Self.group)
        let client = EPCISCaptureClient(transport: transport)
        #expect(client.resolve("/api/capture/7") == "https://epcis.example.my:8443/api/capture/7")
        #expect(client.resolve("7") == "https://epcis.example.my:8443/api/capture/7")
        #expect(client.resolve("https://EPCIS.example.my:8443/api/capture/7") == "https://EPCIS.example.my:8443/api/capture/7")
        for elsewhere in [
            "https://attacker.example/capture/7", "http://epcis.example.my:8443/api/capture/7",
            "https://epcis.example.my/api/capture/7", "https://epcis.example.my.attacker.example:8443/x",
            "//attacker.example/capture/7", "HTTPS://attacker.example/x", "/\\attacker.example/x"
        ] {
            #expect(client.resolve(elsewhere) == nil, "\(elsewhere) must not be followed")
        }
        await transport.shutdown()
    }
}
