import Foundation
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahGateway
@testable import SawahJournal
@testable import SawahTraceability

/// After a rotation link only the key it names may sign. Before this check, a sealing pass
/// between `sawah identity rotate`'s commit and its swap of the key files (or after a rotation
/// interrupted there) signed with the retired key, and the chain failed verification for good.
@Suite struct RotationSealingTests {
    static func readings(_ count: Int, from start: Int64) -> IngestBatch {
        var batch = IngestBatch()
        for index in 0..<count {
            let time = start + Int64(index) * 60_000
            batch.readings.append(
                Reading(
                    sensor: "s", quantity: "soil_temperature", value: 24 + Double(index) / 10, unit: "CEL",
                    observedAt: time, receivedAt: time + 20, source: "t/s"))
        }
        return batch
    }

    @Test func theRetiredKeyNeverSignsAfterTheRotationLink() throws {
        let (directory, configPath, key) = try InterruptedRotationTests().setUp()
        defer { directory.remove() }
        let config = try GatewayConfiguration.load(path: configPath)
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        let old = try GatewayIdentity.create(at: key)
        let journal = try Journal(path: config.journalPath, durability: .process)
        let sealer = BatchSealer(journal: journal.sealing, config: config, library: library, identity: old)
        let start: Int64 = 1_796_000_000_000
        _ = try journal.append(Self.readings(5, from: start))
        #expect(try sealer.sealDue(now: start + 3_600_000, force: true) == [1])

        // The rotation is committed; the key files are not swapped yet.
        let successor = try GatewayIdentity.create(at: key + ".new")
        let rotation = try journal.appendRotation(createdAt: start + 3_600_000) { number, previous in
            let bundle = try CertificateIssuer(identity: old).issueRotation(
                gatewayID: config.gatewayID, number: number, previous: previous.map { PreviousCertificate(id: $0.id, jws: $0.jws) },
                to: successor, createdAt: start + 3_600_000)
            return (bundle.certificateID, bundle.jws)
        }
        #expect(rotation == 2)
        _ = try journal.append(Self.readings(5, from: start + 7_200_000))
        #expect(
            throws: SealingRefusal.keyNotNamedByRotation(
                rotation: 2, named: successor.verificationMethod,
                loaded: old.verificationMethod, keyFile: key)
        ) {
            try sealer.sealDue(now: start + 10_800_000, force: true)
        }
        #expect(try journal.lastBatch()?.number == 2, "nothing sealed with the retired key")

        // `sawah identity rotate --complete` puts the named key in place; the next pass seals.
        let sawah = try #require(ProjectPaths.executable("sawah"))
        let completed = try ChildProcess.run(sawah, ["identity", "rotate", "--complete", "--config", configPath])
        #expect(completed.status == 0, "\(completed.output)")
        #expect(try sealer.sealDue(now: start + 10_800_000, force: true) == [3])
        let verdict = try ChildProcess.run(sawah, ["verify", "--config", configPath, "--issuer", old.did])
        #expect(verdict.status == 0, "\(verdict.output)")
        #expect(verdict.output.contains("VERIFIED"), "\(verdict.output)")
    }
}
