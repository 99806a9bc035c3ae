import Crypto
import Foundation
import Testing

@testable import SawahTraceability

@Suite struct KeyRotationTests {
    /// Batches 1–2 with the old key, 3 the rotation, 4–5 with the new key.
    static func rotatedChain(
        signAfterRotationWith override: P256.Signing.PrivateKey? = nil,
        rotationSigner: P256.Signing.PrivateKey? = nil
    ) throws -> [CertificateBundle] {
        let old = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let new = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        var bundles: [CertificateBundle] = []
        for number in Int64(1)...5 {
            let previous = bundles.last.map { PreviousCertificate(id: $0.certificateID, jws: $0.jws) }
            if number == 3 {
                let signer = rotationSigner.map { GatewayIdentity(privateKey: $0) } ?? old
                bundles.append(
                    try CertificateIssuer(identity: signer).issueRotation(
                        gatewayID: "gw1", number: 3, previous: previous, to: new, createdAt: 1_796_000_000_000))
                continue
            }
            let key = number < 3 ? old : (override.map { GatewayIdentity(privateKey: $0) } ?? new)
            bundles.append(try CertificateIssuer(identity: key).issue(CertificateChainTests.input(number: number, previous: bundles.last)))
        }
        return bundles
    }

    @Test func aRotationSignedByTheOldKeyHandsTheChainToTheNewOne() throws {
        #expect(CertificateVerifier().verifyChain(try Self.rotatedChain()) == [])
    }

    @Test func onlyTheNamedKeyIsAcceptedAfterTheRotation() throws {
        let intruder = P256.Signing.PrivateKey()
        let failures = CertificateVerifier().verifyChain(try Self.rotatedChain(signAfterRotationWith: intruder)).map(\.description)
        #expect(failures.contains { $0.hasPrefix("batch 4: issuer: signed by did:key:") && $0.contains("but the chain's key at this point is") })
    }

    @Test func aRotationSignedByAnotherKeyIsRejected() throws {
        let failures = CertificateVerifier().verifyChain(try Self.rotatedChain(rotationSigner: P256.Signing.PrivateKey())).map(\.description)
        #expect(failures.contains { $0.hasPrefix("batch 3: issuer: signed by") })
    }
}
