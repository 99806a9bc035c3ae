import Foundation
import Testing
import TestSupport
@testable import SawahCore
@testable import SawahPlatform
@testable import SawahTraceability

/// The reference platform keeps each event and certificate once, checks what it is given as
/// `sawah verify` would, and links a chain that arrives out of order.
@Suite struct PlatformStoreTests {
    static func store() throws -> (PlatformStore, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "platform-store")
        return (try PlatformStore(path: directory.file("platform.sqlite")), directory)
    }

    static func events(_ bundle: CertificateBundle) throws -> (events: [JSONValue], context: JSONValue?) {
        let document = try JSONValue.parse(bundle.epcis)
        guard case .array(let events)? = document.value(at: "epcisBody.eventList") else { throw CocoaError(.coderInvalidValue) }
        return (events, document.value(at: "@context"))
    }

    @Test func aCaptureStoresEachEventOnceAndReportsDuplicatesAndForgedIDs() throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let bundles = try SampleChain.bundles(3)
        let first = try Self.events(bundles[0])
        var job = try store.capture(events: first.events, context: first.context, behaviour: "rollback", bytes: 10, now: 1, finishAt: 1)
        #expect(job.success && job.errors.isEmpty)

        // A second capture with the same event and a new one: rollback keeps neither, proceed the new one.
        let second = try Self.events(bundles[1])
        job = try store.capture(events: first.events + second.events, context: first.context, behaviour: "rollback", bytes: 10, now: 2, finishAt: 2)
        #expect(!job.success && job.errors.count == 1)
        #expect(JSONText.serialize(job.errors[0]).contains("Duplicate eventID"))
        #expect(try store.statistics()["events"] == 1)
        job = try store.capture(events: first.events + second.events, context: first.context, behaviour: "proceed", bytes: 10, now: 3, finishAt: 3)
        #expect(!job.success && job.errors.count == 1)
        #expect(try store.statistics()["events"] == 2)
        #expect(try store.statistics()["duplicate_events"] == 2)

        // An event whose eventID is not its canonical hash is refused and named.
        guard case .object(var forged) = try Self.events(bundles[2]).events[0] else { Issue.record("not an object"); return }
        forged["action"] = .string("ADD")
        job = try store.capture(events: [.object(forged)], context: first.context, behaviour: "proceed", bytes: 10, now: 4, finishAt: 4)
        #expect(!job.success)
        #expect(JSONText.serialize(job.errors[0]).contains("eventID is not the event's canonical hash"))
        #expect(try store.statistics()["events"] == 2, "the forged event is not stored")
        #expect(try store.job(job.id)?.json(now: 5).value(at: "running") == .bool(false))
        #expect(try store.job(job.id)?.json(now: 3).value(at: "running") == .bool(true), "before finishAt the job still runs")
    }

    @Test func certificatesArrivingOutOfOrderAreVerifiedAndLinked() throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let bundles = try SampleChain.bundles(4)
        for index in [2, 0, 3, 1] {
            let result = try store.accept(bundles[index], now: Int64(index))
            if case .failure(let refusal) = result { Issue.record("batch \(index + 1) refused: \(refusal)") }
        }
        #expect(try store.statistics()["certificates"] == 4)
        #expect(try store.statistics()["unlinked_certificates"] == 0, "every link checked once both ends arrived")
        guard case .failure(.duplicate) = try store.accept(bundles[1], now: 9) else { Issue.record("a resend must be recognised"); return }
    }

    @Test func aTamperedOrForeignCertificateIsRefusedWithTheVerifiersWords() throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        var bundles = try SampleChain.bundles(3)
        _ = try store.accept(bundles[0], now: 1)
        var tampered = bundles[1]
        tampered.rawSeries = Array(String(decoding: tampered.rawSeries, as: UTF8.self).replacingOccurrences(of: ",soil_temperature,25.25,", with: ",soil_temperature,25.5,").utf8)
        guard case .failure(.invalid(let failures)) = try store.accept(tampered, now: 2) else { Issue.record("a changed reading must be refused"); return }
        #expect(failures.contains { $0.check == "raw series digest" }, "\(failures)")
        // Batch 3 from another key claims to follow this chain's batch 2: once 2 arrives, the link is checked.
        let foreign = try SampleChain.bundles(3)
        bundles[2] = foreign[2]
        _ = try store.accept(bundles[2], now: 3)
        guard case .failure(.invalid(let linkFailures)) = try store.accept(bundles[1], now: 4) else { Issue.record("a broken link must be refused"); return }
        #expect(linkFailures.contains { $0.check == "chain" }, "\(linkFailures)")
        #expect(PlatformStore.chainName("urn:sawah:gw-test:certificate:12") == "urn:sawah:gw-test:certificate")
    }

    @Test func aTransferredBundleRoundTripsAndMalformedOnesAreNamed() throws {
        let bundle = try SampleChain.bundles(1)[0]
        #expect(try CertificateBundle(transferJSON: bundle.transferJSON()) == bundle)
        #expect(throws: BundleTransferError.self) { try CertificateBundle(transferJSON: Array(#"{"number": 1}"#.utf8)) }
        do {
            _ = try CertificateBundle(transferJSON: Array(#"{"number": 1, "certificateId": "x", "certificate": "y", "epcisDocument": "!!", "rawSeries": ""}"#.utf8))
        } catch {
            #expect(error.description == "certificate bundle: \"epcisDocument\" is not base64")
        }
    }
}
