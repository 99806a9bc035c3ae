import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahTraceability

/// The CBV 2.0 event hash against every test vector of the reference implementation, read
/// from ../shared/standards (not copied into the project: MIT, but kept in one place).
@Suite struct EventHashVectorTests {
    static let directory = ProjectPaths.standards + "/epcis-event-hash/test-vectors"

    static var vectorNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".jsonld") }
            .map { String($0.dropLast(".jsonld".count)) }
            .sorted()
    }

    @Test func theVectorsArePresent() {
        #expect(Self.vectorNames.count >= 4, "expected the test vectors in \(Self.directory) (../shared/standards beside the checkout)")
    }

    @Test(arguments: vectorNames)
    func reproducesPreHashAndHash(name: String) throws {
        let document = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.directory)/\(name).jsonld"))))
        let expectedPreHashes = try String(contentsOfFile: "\(Self.directory)/\(name).prehashes", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let expectedHashes = try String(contentsOfFile: "\(Self.directory)/\(name).hashes", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        guard case .object(let root) = document, case .array(let events)? = root["epcisBody"]?.value(at: "eventList") else {
            Issue.record("\(name): no epcisBody.eventList")
            return
        }
        let hasher = EventHash(context: root["@context"])
        #expect(events.count == expectedHashes.count)
        for (index, event) in events.enumerated() {
            #expect(hasher.preHash(for: event) == expectedPreHashes[index], "\(name) event \(index)")
            #expect(hasher.eventID(for: event) == expectedHashes[index], "\(name) event \(index)")
        }
    }
}
