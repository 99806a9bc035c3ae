import SawahCore
import SawahTraceability

/// Issues an AWD water-regime claim as a UNTP Digital Conformity Credential (`vc+jwt`, ES256,
/// the gateway's identity, as the traceability certificates): a self-declared attestation
/// whose `auditableEvidence` is a SecureLink to the evidence bundle — the rule profile and its
/// parameters, the season, the sealed certificates whose raw series the level came from, and
/// the computed result — with the bundle's SHA-256 as `hashDigest` (DESIGN.md invariant 8).
public struct AWDClaimIssuer: Sendable {
    public let identity: GatewayIdentity
    public let gatewayID: String
    public let issuerName: String
    /// The farm the claim is issued to (its GLN URI, as `[traceability] farm`), and its name.
    public let farm: (id: String, name: String)

    public init(identity: GatewayIdentity, gatewayID: String, issuerName: String, farm: (id: String, name: String)) {
        self.identity = identity
        self.gatewayID = gatewayID
        self.issuerName = issuerName
        self.farm = farm
    }

    public static let contexts = ["https://www.w3.org/ns/credentials/v2", "https://test.uncefact.org/vocabulary/untp/dcc/0.6.1/"]

    /// A sealed certificate the claim rests on: its id and the `digestSRI` of its raw series.
    public struct Evidence: Sendable, Equatable {
        public var certificateID: String
        public var rawSeriesDigest: String

        public init(certificateID: String, rawSeriesDigest: String) {
            self.certificateID = certificateID
            self.rawSeriesDigest = rawSeriesDigest
        }
    }

    public static func claimID(gateway: String, number: Int64) -> String { "urn:sawah:\(gateway):claim:\(number)" }

    /// The evidence bundle's bytes: what a verifier rebuilds from the journal and the rules
    /// and compares byte for byte.
    public static func evidence(rules: AWDRules, season: RiceSeason, certificates: [Evidence], result: AWDResult) -> [UInt8] {
        let document: JSONValue = .object([
            "ruleProfile": rules.json,
            "season": season.json,
            "certificates": .array(
                certificates.map { .object(["id": .string($0.certificateID), "rawSeriesDigest": .string($0.rawSeriesDigest)]) }),
            "result": result.json
        ])
        return Array(JSONText.serialize(document).utf8)
    }

    /// Whether the plot practised AWD, as the claim declares it: at least one counted drainage,
    /// and the season covered well enough to say so.
    public static func conforms(_ result: AWDResult) -> Bool {
        result.countedPeriods > 0 && !result.flags.contains(.lowCoverage)
    }

    public func issue(
        number: Int64, rules: AWDRules, season: RiceSeason, certificates: [Evidence], result: AWDResult, createdAt: Int64
    ) throws -> (claimID: String, jws: String, evidence: [UInt8]) {
        let id = Self.claimID(gateway: gatewayID, number: number)
        let evidence = Self.evidence(rules: rules, season: season, certificates: certificates, result: result)
        let credential = self.credential(id: id, season: season, result: result, evidence: evidence, createdAt: createdAt)
        return (id, try identity.signCredential(credential), evidence)
    }

    func credential(id: String, season: RiceSeason, result: AWDResult, evidence: [UInt8], createdAt: Int64) -> JSONValue {
        let topic = "environment.emissions"
        let flags = result.flags.isEmpty ? "no flags" : "flags: " + result.flags.map(\.rawValue).joined(separator: ", ")
        let metrics: [(String, Double, String)] = [
            ("counted drainage periods", Double(result.countedPeriods), "C62"),
            ("IPCC 2019 water-regime scaling factor", result.scalingFactor, "C62"),
            ("season covered by readings", (result.coverage * 1_000).rounded() / 10, "P1"),
            ("hours below -15 cm", result.periods.reduce(0) { $0 + $1.hoursBelowUnsafe }, "HUR")
        ]
        let assessment: JSONValue = .object([
            "type": .array([.string("ConformityAssessment"), .string("Declaration")]),
            "id": .string(id + ":assessment"),
            "name": .string("Water regime of plot \(season.plot)"),
            "description": .string("\(result.regime.rawValue), \(result.countedPeriods) counted drainage periods; \(flags)"),
            "assessmentDate": .string(EPCISTimestamp.format(createdAt)),
            "conformityTopic": .string(topic),
            "conformance": .bool(Self.conforms(result)),
            "assessmentCriteria": .array([
                .object([
                    "type": .array([.string("Criterion")]),
                    "id": .string(AWDRules.profileID),
                    "name": .string("Alternate wetting and drying, rule profile 1"),
                    "description": .string(
                        "Drainage periods from the field tube's water level; counted when longer than 72 h, end-of-season drainage excluded; IPCC 2019 Refinement Vol. 4 Ch. 5 Table 5.12 scaling factors (docs/rules/awd-1.md)"
                    ),
                    "conformityTopic": .string(topic),
                    "status": .string("active")
                ])
            ]),
            "declaredValue": .array(
                metrics.map { name, value, unit in
                    .object([
                        "type": .array([.string("Metric")]), "metricName": .string(name),
                        "metricValue": .object(["type": .array([.string("Measure")]), "value": .number(value), "unit": .string(unit)])
                    ])
                })
        ])
        return .object([
            "@context": .array(Self.contexts.map { .string($0) }),
            "type": .array([.string("DigitalConformityCredential"), .string("VerifiableCredential")]),
            "id": .string(id),
            "issuer": .object(["type": .array([.string("CredentialIssuer")]), "id": .string(identity.did), "name": .string(issuerName)]),
            "validFrom": .string(EPCISTimestamp.format(createdAt)),
            "credentialSubject": .object([
                "type": .array([.string("ConformityAttestation"), .string("Attestation")]),
                "id": .string(id + ":attestation"),
                "name": .string("AWD water regime, plot \(season.plot)"),
                "assessorLevel": .string("Self"),
                "assessmentLevel": .string("Unspecified"),
                "attestationType": .string("declaration"),
                "issuedToParty": .object(["id": .string(farm.id), "name": .string(farm.name)]),
                "auditableEvidence": .object([
                    "type": .array([.string("SecureLink"), .string("Link")]),
                    "linkURL": .string(id + ":evidence"),
                    "linkName": .string("Evidence bundle: rule profile, season, sealed raw series, result"),
                    "linkType": .string("https://test.uncefact.org/vocabulary/linkTypes/evidence"),
                    "hashDigest": .string(DigestSRI.sha256Hex(evidence)),
                    "hashMethod": .string("SHA-256"),
                    "encryptionMethod": .string("none")
                ]),
                "assessment": .array([assessment])
            ])
        ])
    }
}
