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

    /// The evidence bundle's bytes: what a verifier rebuilds from the journal and the rules
    /// and compares byte for byte.
    public static func evidence(
        rules: AWDRules, season: RiceSeason, levelSensor: String, records: [RecordReference], certificates: [SealedEvidence], result: AWDResult
    ) -> [UInt8] {
        SealedEvidence.bundle(
            ruleProfile: rules.json,
            subject: ["season": season.json, "levelSensor": .string(levelSensor), "records": RecordReference.json(records)],
            certificates: certificates, result: result.json)
    }

    /// Whether the plot practised AWD, as the claim declares it: at least one counted drainage,
    /// and the season covered well enough to say so.
    public static func conforms(_ result: AWDResult) -> Bool {
        result.countedPeriods > 0 && !result.flags.contains(.lowCoverage)
    }

    public func issue(
        number: Int64, rules: AWDRules, season: RiceSeason, levelSensor: String, records: [RecordReference],
        certificates: [SealedEvidence], result: AWDResult, createdAt: Int64
    ) throws -> (claimID: String, jws: String, evidence: [UInt8]) {
        let id = SelfDeclaredConformity.claimID(gateway: gatewayID, number: number)
        let evidence = Self.evidence(
            rules: rules, season: season, levelSensor: levelSensor, records: records, certificates: certificates, result: result)
        let credential = self.credential(id: id, season: season, result: result, evidence: evidence, createdAt: createdAt)
        return (id, try identity.signCredential(credential), evidence)
    }

    func credential(id: String, season: RiceSeason, result: AWDResult, evidence: [UInt8], createdAt: Int64) -> JSONValue {
        let flags = result.flags.isEmpty ? "no flags" : "flags: " + result.flags.map(\.rawValue).joined(separator: ", ")
        return SelfDeclaredConformity(
            id: id, subjectName: "AWD water regime, plot \(season.plot)", issuedTo: farm,
            assessmentName: "Water regime of plot \(season.plot)",
            assessmentDescription: "\(result.regime.rawValue), \(result.countedPeriods) counted drainage periods; \(flags)",
            topic: "environment.emissions", conformance: Self.conforms(result),
            criterion: (
                id: AWDRules.profileID, name: "Alternate wetting and drying, rule profile 1",
                description:
                    "Drainage periods from the field tube's water level; counted when longer than 72 h, end-of-season drainage excluded; IPCC 2019 Refinement Vol. 4 Ch. 5 Table 5.12 scaling factors (docs/rules/awd-1.md)"
            ),
            metrics: [
                ("counted drainage periods", Double(result.countedPeriods), "C62"),
                ("IPCC 2019 water-regime scaling factor", result.scalingFactor, "C62"),
                ("season covered by readings", (result.coverage * 1_000).rounded() / 10, "P1"),
                ("hours below -15 cm", result.periods.reduce(0) { $0 + $1.hoursBelowUnsafe }, "HUR")
            ],
            evidenceName: "Evidence bundle: rule profile, season, sealed raw series, result",
            evidenceDigest: DigestSRI.sha256Hex(evidence), createdAt: createdAt
        ).credential(issuer: identity, issuerName: issuerName)
    }
}
