import SawahCore
import SawahTraceability

/// What a claim fills into a self-declared UNTP Digital Conformity Credential (DCC 0.6.1): one
/// attestation with one assessment, its criterion (the rule profile), metrics in UN/ECE Rec 20
/// units, and a SecureLink whose SHA-256 covers the evidence bundle (DESIGN.md invariant 8).
/// The claim issuers differ only in these values.
struct SelfDeclaredConformity {
    static let contexts = ["https://www.w3.org/ns/credentials/v2", "https://test.uncefact.org/vocabulary/untp/dcc/0.6.1/"]

    static func claimID(gateway: String, number: Int64) -> String { "urn:sawah:\(gateway):claim:\(number)" }

    var id: String
    var subjectName: String
    var issuedTo: (id: String, name: String)
    var assessmentName: String
    var assessmentDescription: String
    /// A DCC `conformityTopic`, for the assessment and its criterion.
    var topic: String
    var conformance: Bool
    var criterion: (id: String, name: String, description: String)
    /// Name, value, Rec 20 unit code.
    var metrics: [(String, Double, String)]
    var evidenceName: String
    var evidenceDigest: String
    var createdAt: Int64

    func credential(issuer: GatewayIdentity, issuerName: String) -> JSONValue {
        let assessment: JSONValue = .object([
            "type": .array([.string("ConformityAssessment"), .string("Declaration")]),
            "id": .string(id + ":assessment"),
            "name": .string(assessmentName),
            "description": .string(assessmentDescription),
            "assessmentDate": .string(EPCISTimestamp.format(createdAt)),
            "conformityTopic": .string(topic),
            "conformance": .bool(conformance),
            "assessmentCriteria": .array([
                .object([
                    "type": .array([.string("Criterion")]),
                    "id": .string(criterion.id),
                    "name": .string(criterion.name),
                    "description": .string(criterion.description),
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
            "issuer": .object(["type": .array([.string("CredentialIssuer")]), "id": .string(issuer.did), "name": .string(issuerName)]),
            "validFrom": .string(EPCISTimestamp.format(createdAt)),
            "credentialSubject": .object([
                "type": .array([.string("ConformityAttestation"), .string("Attestation")]),
                "id": .string(id + ":attestation"),
                "name": .string(subjectName),
                "assessorLevel": .string("Self"),
                "assessmentLevel": .string("Unspecified"),
                "attestationType": .string("declaration"),
                "issuedToParty": .object(["id": .string(issuedTo.id), "name": .string(issuedTo.name)]),
                "auditableEvidence": .object([
                    "type": .array([.string("SecureLink"), .string("Link")]),
                    "linkURL": .string(id + ":evidence"),
                    "linkName": .string(evidenceName),
                    "linkType": .string("https://test.uncefact.org/vocabulary/linkTypes/evidence"),
                    "hashDigest": .string(evidenceDigest),
                    "hashMethod": .string("SHA-256"),
                    "encryptionMethod": .string("none")
                ]),
                "assessment": .array([assessment])
            ])
        ])
    }
}
