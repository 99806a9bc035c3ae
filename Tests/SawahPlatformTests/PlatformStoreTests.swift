import Crypto
import Foundation
import TestSupport
import Testing

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
        guard case .object(var forged) = try Self.events(bundles[2]).events[0] else {
            Issue.record("not an object")
            return
        }
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
        #expect(try store.statistics()["held_certificates"] == 0, "every held certificate was linked once its predecessor arrived")
        guard case .failure(.duplicate(let digest)) = try store.accept(bundles[1], now: 9) else {
            Issue.record("a resend must be recognised")
            return
        }
        #expect(digest == bundles[1].digest)
    }

    @Test func aTamperedOrForeignCertificateIsRefusedWithTheVerifiersWords() throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let bundles = try SampleChain.bundles(3)
        _ = try store.accept(bundles[0], now: 1)
        var tampered = bundles[1]
        tampered.rawSeries = Array(
            String(decoding: tampered.rawSeries, as: UTF8.self).replacingOccurrences(of: ",soil_temperature,25.25,", with: ",soil_temperature,25.5,").utf8)
        guard case .failure(.invalid(let failures)) = try store.accept(tampered, now: 2) else {
            Issue.record("a changed reading must be refused")
            return
        }
        #expect(failures.contains { $0.check == "raw series digest" }, "\(failures)")
        // Batch 3 of another chain claims this chain's id before batch 2 arrives: it is held,
        // and when the genuine batch 2 comes, 2 is stored and the impostor dropped.
        let foreign = try SampleChain.bundles(3)
        guard case .success(.held) = try store.accept(foreign[2], now: 3) else {
            Issue.record("a certificate without its predecessor is held")
            return
        }
        guard case .success(.stored) = try store.accept(bundles[1], now: 4) else {
            Issue.record("the genuine predecessor must be stored")
            return
        }
        #expect(try store.statistics()["held_certificates"] == 0)
        #expect(try store.statistics()["dropped_held_certificates"] == 1)
        guard case .success(.stored) = try store.accept(bundles[2], now: 5) else {
            Issue.record("the genuine batch 3 must be stored")
            return
        }
        #expect(PlatformStore.chainName("urn:sawah:gw-test:certificate:12") == "urn:sawah:gw-test:certificate")
    }

    @Test func aTransferredBundleRoundTripsAndMalformedOnesAreNamed() throws {
        let bundle = try SampleChain.bundles(1)[0]
        #expect(try CertificateBundle(transferJSON: bundle.transferJSON()) == bundle)
        #expect(throws: BundleTransferError.self) { try CertificateBundle(transferJSON: Array(#"{"number": 1}"#.utf8)) }
        do {
            _ = try CertificateBundle(
                transferJSON: Array(#"{"number": 1, "certificateId": "x", "certificate": "y", "epcisDocument": "!!", "rawSeries": ""}"#.utf8))
        } catch {
            #expect(error.description == "certificate bundle: \"epcisDocument\" is not base64")
        }
    }

    @Test func nobodyElseCanContinueAFarmsChainOrReplaceItsCertificates() throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let farmKey = P256.Signing.PrivateKey()
        let bundles = try SampleChain.bundles(2, key: farmKey)
        for bundle in bundles { _ = try store.accept(bundle, now: 1) }
        // A forger links batch 3 to the farm's batch 2 by hash (public) and signs it himself.
        let forged = try SampleChain.next(number: 3, after: bundles[1], key: P256.Signing.PrivateKey())
        #expect(CertificateVerifier().verify(forged, previous: bundles[1]).0.isEmpty, "the link alone holds")
        guard case .failure(.invalid(let failures)) = try store.accept(forged, now: 2) else {
            Issue.record("a foreign key cannot continue the chain")
            return
        }
        #expect(failures.contains { $0.check == "issuer" && $0.detail.contains("the chain's key at this point") }, "\(failures)")
        // The farm's own batch 3 is still welcome.
        guard case .success(.stored) = try store.accept(try SampleChain.next(number: 3, after: bundles[1], key: farmKey), now: 3) else {
            Issue.record("the farm's batch 3 must be stored")
            return
        }
        // A different certificate under a stored id is a conflict, named with the stored digest.
        let replacement = try SampleChain.bundles(1, key: P256.Signing.PrivateKey())[0]
        guard case .failure(.conflict(let digest)) = try store.accept(replacement, now: 4) else {
            Issue.record("a different certificate under the same id")
            return
        }
        #expect(digest == bundles[0].digest && digest != replacement.digest)
    }

    @Test func heldCertificatesAreCappedPerChain() throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let key = P256.Signing.PrivateKey()
        var previous = try SampleChain.next(number: 1, after: nil, key: key)
        var refused = false
        for number in 2...Int64(PlatformStore.heldPerChain + 3) {
            let next = try SampleChain.next(number: number, after: previous, key: key)
            previous = next
            if number == 2 { continue }  // never sent: everything after it waits
            switch try store.accept(next, now: number) {
            case .success(.held): continue
            case .failure(.tooManyHeld): refused = true
            default: Issue.record("batch \(number): held or refused for the cap")
            }
        }
        #expect(refused)
        #expect(try store.statistics()["held_certificates"] == Int64(PlatformStore.heldPerChain))
    }

    @Test func clientTokensAreParsedAndBound() throws {
        let clients = try PlatformClients(fileText: "# operators\nany-gateway-token-0001\ngw-farm1  farm1-token-000000001\n", path: "tokens")
        #expect(clients.client(authorization: "Bearer any-gateway-token-0001") == .anyGateway)
        #expect(clients.client(authorization: "Bearer farm1-token-000000001") == .gateway("gw-farm1"))
        #expect(clients.client(authorization: "Bearer nope") == nil)
        #expect(clients.client(authorization: nil) == nil)
        #expect(PlatformClients.open.client(authorization: nil) == .anyGateway)
        #expect(PlatformStore.gateway(ofChain: "urn:sawah:gw-farm1:certificate") == "gw-farm1")
        #expect(PlatformStore.gateway(ofChain: "urn:sawah:gw:farm1:certificate") == nil)
        for (text, reason) in [
            ("short\n", "at least 16"), ("a b c\n", "found 3 words"), ("\n# none\n", "no token"),
            ("same-token-000000001\ngw same-token-000000001\n", "given twice")
        ] {
            #expect(throws: PlatformClientsError.self) { try PlatformClients(fileText: text, path: "tokens") }
            do { _ = try PlatformClients(fileText: text, path: "tokens") } catch { #expect("\(error)".contains(reason), "\(error)") }
        }
    }
}
