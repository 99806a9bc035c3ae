import SawahCore
import SawahTraceability

/// Issues a lot's cold treatment as a UNTP Digital Conformity Credential (`vc+jwt`, the
/// gateway's identity) whose `auditableEvidence` covers the schedule, the probes with their
/// calibration hashes, the sealed certificates the temperatures came from and the result; and
/// the prefill an exporter pastes into the plant-protection organisation's ePhyto system.
public struct ColdTreatmentClaimIssuer: Sendable {
    public let identity: GatewayIdentity
    public let gatewayID: String
    public let issuerName: String
    /// The exporter the claim is issued to, and its name.
    public let exporter: (id: String, name: String)

    public init(identity: GatewayIdentity, gatewayID: String, issuerName: String, exporter: (id: String, name: String)) {
        self.identity = identity
        self.gatewayID = gatewayID
        self.issuerName = issuerName
        self.exporter = exporter
    }

    /// The evidence bundle's bytes, which a verifier rebuilds and compares.
    /// `window` is the period the operator named, whose readings the rules read; `records` the
    /// probes' calibration records.
    public static func evidence(
        schedule: ColdTreatmentSchedule, lot: String, window: Range<Int64>, records: [RecordReference], certificates: [SealedEvidence],
        result: ColdTreatmentResult
    ) -> [UInt8] {
        let subject: [String: JSONValue] = [
            "lot": .string(lot), "records": RecordReference.json(records),
            "window": .object(["from": .string(EPCISTimestamp.format(window.lowerBound)), "to": .string(EPCISTimestamp.format(window.upperBound))])
        ]
        return SealedEvidence.bundle(ruleProfile: schedule.json, subject: subject, certificates: certificates, result: result.json)
    }

    public func issue(
        number: Int64, schedule: ColdTreatmentSchedule, lot: String, window: Range<Int64>, records: [RecordReference],
        certificates: [SealedEvidence], result: ColdTreatmentResult, createdAt: Int64
    ) throws -> (claimID: String, jws: String, evidence: [UInt8], ePhytoPrefill: JSONValue) {
        let id = SelfDeclaredConformity.claimID(gateway: gatewayID, number: number)
        let evidence = Self.evidence(
            schedule: schedule, lot: lot, window: window, records: records, certificates: certificates, result: result)
        let digest = DigestSRI.sha256Hex(evidence)
        let credential = self.credential(id: id, schedule: schedule, lot: lot, result: result, digest: digest, createdAt: createdAt)
        return (id, try identity.signCredential(credential), evidence, Self.ePhytoPrefill(schedule: schedule, result: result, claimID: id, digest: digest))
    }

    /// What the exporter's ePhyto entry needs: the treatment's period, duration and
    /// temperature, and a free-text summary naming the schedule and the evidence. Nil fields
    /// (and a summary that says so) when no row was met.
    public static func ePhytoPrefill(schedule: ColdTreatmentSchedule, result: ColdTreatmentResult, claimID: String, digest: String) -> JSONValue {
        let pulp = result.probes.filter { $0.placement == .pulp }.count
        let summary: String
        if let row = result.row, let start = result.start, let end = result.end {
            summary =
                "Cold treatment to schedule \(schedule.id): fruit pulp at or below \(row.maxCelsius) °C for \(Int(row.days)) days, "
                + "\(EPCISTimestamp.format(start)) to \(EPCISTimestamp.format(end)), \(pulp) calibrated pulp probes, "
                + "\(result.restarts.count) restarts. Evidence: credential \(claimID), SHA-256 \(digest)."
        } else {
            summary =
                "Cold treatment to schedule \(schedule.id) NOT completed (\(result.problems.map(\.rawValue).joined(separator: ", "))). Evidence: credential \(claimID), SHA-256 \(digest)."
        }
        return .object([
            "treatmentType": .string("cold treatment"),
            "schedule": .string(schedule.id),
            "startDate": result.start.map { .string(EPCISTimestamp.format($0)) } ?? .null,
            "endDate": result.end.map { .string(EPCISTimestamp.format($0)) } ?? .null,
            "durationDays": result.days.map { .number($0) } ?? .null,
            "temperatureCelsius": result.row.map { .number($0.maxCelsius) } ?? .null,
            "temperatureQualifier": .string("at or below"),
            "additionalInformation": .string(summary)
        ])
    }

    func credential(id: String, schedule: ColdTreatmentSchedule, lot: String, result: ColdTreatmentResult, digest: String, createdAt: Int64) -> JSONValue {
        var metrics: [(String, Double, String)] = [("restarts", Double(result.restarts.count), "C62")]
        if let row = result.row, let days = result.days {
            metrics += [("pulp temperature at or below", row.maxCelsius, "CEL"), ("treatment duration", days, "DAY")]
        }
        return SelfDeclaredConformity(
            id: id, subjectName: "Cold treatment, lot \(lot)", issuedTo: exporter,
            assessmentName: "Cold treatment of lot \(lot) to \(schedule.id)",
            assessmentDescription: result.row.map { "met the row \($0.maxCelsius) °C for \(Int($0.days)) days" } ?? "not met",
            topic: "governance.compliance", conformance: result.row != nil,
            criterion: (
                id: ColdTreatmentSchedule.profileID + "#" + schedule.id, name: "Cold treatment schedule \(schedule.id)",
                description: "Pulp temperature rows, restart and probe rules as in docs/rules/cold-treatment-1.md"
            ),
            metrics: metrics,
            evidenceName: "Evidence bundle: schedule, calibrated probes, sealed raw series, result",
            evidenceDigest: digest, createdAt: createdAt
        ).credential(issuer: identity, issuerName: issuerName)
    }
}
