import Crypto
import Foundation
import TestSupport
import Testing
import X509

@testable import SawahCore
@testable import SawahTraceability

/// A chain that is consistent with itself proves nothing about who made it: the verdict names
/// the signer and is anchored only by what the buyer trusts.
@Suite struct IssuerTrustTests {
    func chain(_ identity: GatewayIdentity, count: Int64 = 2) throws -> [CertificateBundle] {
        let issuer = CertificateIssuer(identity: identity)
        var bundles: [CertificateBundle] = []
        for number in 1...count {
            // Sealed now, inside the test certificates' validity: the x5c is checked at signing time.
            var input = CertificateChainTests.input(number: number, previous: bundles.last)
            input.createdAt = Int64(Date().timeIntervalSince1970 * 1000)
            bundles.append(try issuer.issue(input))
        }
        return bundles
    }

    /// A CA (openssl, independent of our code) that signs the gateway's CSR, with `san` as the
    /// leaf's subjectAltName when given.
    func certify(_ identity: inout GatewayIdentity, san: String?, in directory: TemporaryDirectory, name: String = "ca") throws -> String {
        try directory.write(try GatewayCertificateChain.csr(identity: identity, commonName: "gw1", organization: nil), to: "gw.csr")
        try directory.write(
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n" + (san.map { "subjectAltName=DNS:\($0)\n" } ?? ""), to: "leaf.ext")
        for arguments in [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", directory.file("\(name).key"),
                "-out", directory.file("\(name).pem"), "-days", "2", "-subj", "/CN=Cooperative CA \(name)"
            ],
            [
                "x509", "-req", "-in", directory.file("gw.csr"), "-CA", directory.file("\(name).pem"), "-CAkey", directory.file("\(name).key"),
                "-CAcreateserial", "-out", directory.file("gw.pem"), "-days", "2", "-extfile", directory.file("leaf.ext")
            ]
        ] {
            let result = try ChildProcess.run("/usr/bin/openssl", arguments)
            #expect(result.status == 0, "\(result.output)")
        }
        let pem = try String(contentsOfFile: directory.file("gw.pem"), encoding: .utf8) + String(contentsOfFile: directory.file("\(name).pem"), encoding: .utf8)
        identity.chain = try GatewayCertificateChain.validate(pem: pem, for: identity)
        return directory.file("\(name).pem")
    }

    @Test func withNoAnchorTheVerdictNamesTheSignerAndIsNotAnchored() async throws {
        let identity = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let verdict = await IssuerTrust().evaluate(try chain(identity))
        #expect(!verdict.isAnchored)
        #expect(verdict.issuer == identity.did && verdict.thumbprint == identity.fingerprint)
        #expect(verdict.problems.first?.contains("no trust anchor") == true)
    }

    @Test func aChainReSignedEndToEndByAnotherKeyIsNotTheExpectedIssuer() async throws {
        let farm = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let forger = GatewayIdentity(privateKey: P256.Signing.PrivateKey())
        let forged = try chain(forger)
        #expect(CertificateVerifier().verifyChain(forged) == [], "the forged chain is consistent with itself")
        for expected in [farm.did, farm.fingerprint] {
            let verdict = await IssuerTrust(expectedIssuer: expected).evaluate(forged)
            #expect(!verdict.isAnchored)
            #expect(verdict.problems.first?.contains("signed by \(forger.did)") == true)
        }
        for expected in [farm.did, farm.fingerprint] {
            #expect(await IssuerTrust(expectedIssuer: expected).evaluate(try chain(farm)).isAnchored)
        }
    }

    @Test func didWebIsAnchoredOnlyByAValidatedCertificateThatNamesItsDomain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bound = GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my")
        let caFile = try certify(&bound, san: "coop.example.my", in: directory)
        let roots = try IssuerTrust.caBundle(at: caFile)
        let anchored = await IssuerTrust(roots: roots).evaluate(try chain(bound))
        #expect(anchored.isAnchored, "\(anchored.problems)")
        #expect(anchored.anchors.first?.contains("binds coop.example.my") == true)

        // The same CA, but the leaf names another domain: the did:web claim is unbound.
        var unbound = GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my")
        _ = try certify(&unbound, san: "forger.example", in: directory, name: "ca2")
        let notBound = await IssuerTrust(roots: try IssuerTrust.caBundle(at: directory.file("ca2.pem"))).evaluate(try chain(unbound))
        #expect(!notBound.isAnchored)
        #expect(notBound.problems.first?.contains("is not bound") == true, "\(notBound.problems)")

        // A CA the buyer does not trust.
        let stranger = await IssuerTrust(roots: roots).evaluate(try chain(unbound))
        #expect(!stranger.isAnchored)
        #expect(stranger.problems.first?.contains("does not validate") == true, "\(stranger.problems)")

        // No x5c at all.
        let bare = await IssuerTrust(roots: roots).evaluate(
            try chain(GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my")))
        #expect(bare.problems.first?.contains("carry no x5c") == true)
    }

    @Test func aDidWebNameAloneAnchorsNothing() async throws {
        // Anyone can sign as did:web:coop.example.my with a key of their own in the header.
        let forger = GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my")
        let byName = await IssuerTrust(expectedIssuer: "did:web:coop.example.my").evaluate(try chain(forger))
        #expect(!byName.isAnchored)
        #expect(byName.problems.first?.contains("names a domain, not a key") == true, "\(byName.problems)")
        let farm = GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my")
        #expect(await IssuerTrust(expectedIssuer: farm.fingerprint).evaluate(try chain(farm)).isAnchored, "the key's thumbprint binds it")
    }

    @Test func anX5CEntryThatIsNotACertificateIsNamedNotSkipped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var identity = GatewayIdentity(privateKey: P256.Signing.PrivateKey(), didWeb: "did:web:coop.example.my")
        let roots = try IssuerTrust.caBundle(at: try certify(&identity, san: "coop.example.my", in: directory))
        let key = identity.privateKey
        let credential = #"{"issuer":{"id":"did:web:coop.example.my"},"id":"urn:sawah:gw1:certificate:1"}"#
        let jwk = try JSONValue.parse(Array(JWK(publicKey: key.publicKey).json.utf8))
        // A leaf that would validate, followed by a number where a certificate should be.
        let x5c: JSONValue = .array((identity.chain ?? []).map { .string($0) } + [.number(1)])
        let jws = try CompactJWS.sign(
            payload: Array(credential.utf8), headerFields: ["typ": "vc+jwt", "kid": "did:web:coop.example.my#k"],
            key: key, extraHeader: ["jwk": jwk, "x5c": x5c])
        let bundle = CertificateBundle(number: 1, certificateID: "urn:sawah:gw1:certificate:1", jws: jws.compact, epcis: [], rawSeries: [])
        let verdict = await IssuerTrust(roots: roots).evaluate([bundle])
        #expect(!verdict.isAnchored)
        #expect(verdict.problems.contains { $0.contains("x5c entry is not a base64 DER certificate") }, "\(verdict.problems)")
    }

    @Test func anUnreadableCABundleIsAnErrorThatNamesTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("not a certificate", to: "junk.pem")
        #expect(throws: TrustError.self) { try IssuerTrust.caBundle(at: directory.file("junk.pem")) }
        #expect(throws: TrustError.self) { try IssuerTrust.caBundle(at: directory.file("missing.pem")) }
    }
}
