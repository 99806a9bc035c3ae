import Crypto
import Foundation
import TestSupport
import Testing
import X509

@testable import SawahCore
@testable import SawahTraceability

/// CSR → a CA (openssl, independent of our code) → the chain back, carried as x5c.
@Suite struct X509ChainTests {
    /// Signs `csrPEM` with a fresh CA; returns leaf + CA certificates, PEM.
    static func signWithTestCA(_ csrPEM: String, in directory: TemporaryDirectory) throws -> String {
        try directory.write(csrPEM, to: "gateway.csr")
        for arguments in [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", directory.file("ca.key"),
                "-out", directory.file("ca.pem"), "-days", "2", "-subj", "/CN=Cooperative test CA"
            ],
            [
                "x509", "-req", "-in", directory.file("gateway.csr"), "-CA", directory.file("ca.pem"), "-CAkey", directory.file("ca.key"),
                "-CAcreateserial", "-out", directory.file("gateway.pem"), "-days", "2"
            ]
        ] {
            let result = try ChildProcess.run("/usr/bin/openssl", arguments)
            #expect(result.status == 0, "\(result.output)")
        }
        return try String(contentsOfFile: directory.file("gateway.pem"), encoding: .utf8) + String(contentsOfFile: directory.file("ca.pem"), encoding: .utf8)
    }

    @Test func aCertifiedKeySignsWithX5CAndVerifies() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var identity = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let csr = try GatewayCertificateChain.csr(identity: identity, commonName: "sawah gateway gw1", organization: "Demo Cooperative")
        #expect(csr.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        let chainPEM = try Self.signWithTestCA(csr, in: directory)
        identity.chain = try GatewayCertificateChain.validate(pem: chainPEM, for: identity)
        #expect(identity.chain?.count == 2)
        let issuer = CertificateIssuer(identity: identity)
        let first = try issuer.issue(CertificateChainTests.input(number: 1, previous: nil))
        let second = try issuer.issue(CertificateChainTests.input(number: 2, previous: first))
        #expect(try CompactJWS(compact: first.jws).header.value(at: "x5c") != nil)
        #expect(CertificateVerifier().verifyChain([first, second]) == [])
    }

    @Test func theRequestNamesTheGatewayForMutualTLS() throws {
        let identity = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let request = try CertificateSigningRequest(
            pemEncoded: try GatewayCertificateChain.csr(
                identity: identity, commonName: "gw-farm1",
                organization: nil, gatewayID: "gw-farm1"))
        let names = try request.attributes.extensionRequest?.extensions.subjectAlternativeNames
        #expect(names.map(Array.init) == [.uniformResourceIdentifier("urn:sawah:gateway:gw-farm1")])
        let plain = try CertificateSigningRequest(pemEncoded: try GatewayCertificateChain.csr(identity: identity, commonName: "x", organization: nil))
        #expect(try plain.attributes.extensionRequest == nil)
    }

    @Test func aChainForAnotherKeyIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let other = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let chainPEM = try Self.signWithTestCA(try GatewayCertificateChain.csr(identity: other, commonName: "someone else", organization: nil), in: directory)
        #expect(throws: GatewayCertificateChain.ChainError.self) {
            try GatewayCertificateChain.validate(pem: chainPEM, for: GatewayIdentity(privateKey: P256.Signing.PrivateKey()))
        }
        #expect(throws: GatewayCertificateChain.ChainError.unreadable("no CERTIFICATE block")) {
            try GatewayCertificateChain.validate(pem: "", for: other)
        }
    }

    @Test func didWebCarriesItsKeyAndIsPinnedAcrossTheChain() throws {
        let key = P256.Signing.PrivateKey()
        let identity = GatewayIdentity(privateKey: key, didWeb: "did:web:coop.example.my")
        let issuer = CertificateIssuer(identity: identity)
        let first = try issuer.issue(CertificateChainTests.input(number: 1, previous: nil))
        var bundles = [first, try issuer.issue(CertificateChainTests.input(number: 2, previous: first))]
        #expect(CertificateVerifier().verifyChain(bundles) == [])
        // Someone else's key under the same did:web is caught.
        let impostor = CertificateIssuer(identity: GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my"))
        bundles.append(try impostor.issue(CertificateChainTests.input(number: 3, previous: bundles[1])))
        #expect(CertificateVerifier().verifyChain(bundles).contains { $0.batch == 3 && $0.check == "issuer" })
    }
}
