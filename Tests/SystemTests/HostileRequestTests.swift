import Foundation
import NIOPosix
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability
@testable import SawahUplink

/// One costly request must not stall the platform for everybody: the canonical hashing of a
/// capture (and the verification of a certificate) runs before the store's lock is taken.
@Suite(.serialized) struct HostileRequestTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// A capture of `count` events, each carrying a wrong eventID: the platform must hash every
    /// one of them to say so.
    static func hostileCapture(events count: Int) -> [UInt8] {
        var text =
            #"{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-12-01T00:00:00Z","epcisBody":{"eventList":["#
        for index in 0..<count {
            if index > 0 { text += "," }
            text +=
                #"{"type":"ObjectEvent","eventID":"ni:///sha-256;x?ver=CBV2.0","eventTime":"2026-12-01T00:00:00.000Z","eventTimeZoneOffset":"+07:00","epcList":["https://id.gs1.org/01/09506000134352/21/\#(index)"],"action":"OBSERVE","bizStep":"sensor_reporting","sensorElementList":[{"sensorReport":[{"type":"Temperature","value":\#(Double(index) / 7),"uom":"CEL"}]}]}"#
        }
        return Array((text + "]}}").utf8)
    }

    @Test func aNormalRequestIsServedWhileAHostileCaptureIsHashed() async throws {
        let platform = try PlatformProcess(arguments: ["--capture-limit", "100000"])
        defer { platform.remove() }
        var settings = PlatformConfiguration(id: "ref", kind: .epcis, url: platform.baseURL + "/capture")
        settings.gzip = false
        let client = try PlatformTransport(platform: settings, identityKeyFile: nil, eventLoopGroup: Self.group)
        let hostile = Self.hostileCapture(events: 5_000)
        let clock = ContinuousClock()
        // The hostile request alone (after one to warm up), then again with a normal one inside it.
        let refused = try await client.send(.POST, platform.baseURL + "/capture", body: hostile, contentType: "application/ld+json")
        #expect(refused.status == 202, "the job is created; its errors list every event")
        let start = clock.now
        _ = try await client.send(.POST, platform.baseURL + "/capture", body: hostile, contentType: "application/ld+json")
        let hostileDuration = start.duration(to: clock.now)
        async let busy = client.send(.POST, platform.baseURL + "/capture", body: hostile, contentType: "application/ld+json")
        try await Task.sleep(for: hostileDuration / 4)
        let normalStart = clock.now
        let stats = try await client.send(.GET, platform.baseURL + "/stats")
        let normal = normalStart.duration(to: clock.now)
        _ = try await busy
        await client.shutdown()
        print("figure: hostile capture of 5,000 events takes \(hostileDuration); GET /stats meanwhile took \(normal)")
        #expect(stats.status == 200)
        #expect(normal < hostileDuration / 3, "a normal request waited for the hostile one: \(normal) of \(hostileDuration)")
    }
}
