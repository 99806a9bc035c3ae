import ArgumentParser
import Foundation
import SawahClaims
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

/// `sawah claims issue|list|show|export`: claims computed at the edge from the gateway's own
/// signed chain (DESIGN.md invariant 8), issued as UNTP Digital Conformity Credentials.
struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Compute, list, show and export claims (AWD water regime, cold treatment) from the sealed chain.",
        subcommands: [Issue.self, List.self, Show.self, Export.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute a claim from the sealed chain and sign it.",
            discussion: """
                awd --plot P: the plot's latest season (its start and end records are needed), from its level sensor.
                cold-treatment --lot L --from T --to T: the lot's probes over the treatment period, each corrected by its \
                latest calibration record before --from.
                Every reading the claim reads must be sealed first (sawah certificates seal).
                """)
        @Argument(help: "awd or cold-treatment.") var kind: String
        @Option(help: "The plot (awd).") var plot: String?
        @Option(help: "The lot (cold-treatment).") var lot: String?
        @Option(help: "Start of the treatment period (cold-treatment).") var from: TimeArgument?
        @Option(help: "End of the treatment period (cold-treatment).") var to: TimeArgument?
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

        func run() throws {
            let loaded = try SawahCoreBridge.config(config)
            guard let traceability = loaded.traceability else { throw ValidationError("\(config) has no [traceability] table") }
            let reader = try JournalReader(path: loaded.journalPath)
            let report = try JournalVerifier(reader: reader).verify()
            if !report.failures.isEmpty {
                let listed = report.failures.prefix(5).map { "  \($0)" }.joined(separator: "\n")
                throw ValidationError("the chain does not verify, so no claim can rest on it (sawah verify names every problem):\n\(listed)")
            }
            let chain = ChainEvidence(chain: report.bundles)
            let identity = try GatewayIdentity.load(from: traceability.identityKeyFile, didWeb: traceability.didWeb)
            let store = try SealStore.open(path: loaded.journalPath, durability: loaded.durability)
            let now = Clock.nowMilliseconds()
            switch kind {
            case "awd":
                guard let plot, let entry = loaded.claims.awd.first(where: { $0.plot == plot }) else {
                    throw ValidationError("give --plot, one of [[claims.awd]]: \(loaded.claims.awd.map(\.plot).joined(separator: ", "))")
                }
                let computed = try ClaimComputation.awd(chain, plot: plot, levelSensor: entry.levelSensor)
                try requireSealed(reader, loaded, sensors: [entry.levelSensor], before: computed.season.end)
                let issuer = AWDClaimIssuer(
                    identity: identity, gatewayID: loaded.gatewayID, issuerName: traceability.issuerName,
                    farm: (id: traceability.farm ?? "urn:sawah:\(loaded.gatewayID)", name: traceability.issuerName))
                let number = try store.storeClaim(kind: "awd", subject: plot, createdAt: now) { number in
                    let claim = try issuer.issue(
                        number: number, rules: computed.rules, season: computed.season, levelSensor: computed.levelSensor,
                        records: computed.records, certificates: computed.certificates, result: computed.result, createdAt: now)
                    return ClaimDraft(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence, prefill: nil)
                }
                let result = computed.result
                print(
                    "claim \(number): plot \(plot) \(result.regime.rawValue), \(result.countedPeriods) counted drainage periods, scaling factor \(result.scalingFactor), coverage \((result.coverage * 1000).rounded() / 10) %, flags: \(result.flags.isEmpty ? "none" : result.flags.map(\.rawValue).joined(separator: ", ")); evidence from \(computed.certificates.count) certificates and \(computed.records.count) season records"
                )
            case "cold-treatment":
                guard let lot, let entry = loaded.claims.coldTreatments.first(where: { $0.lot == lot }) else {
                    throw ValidationError("give --lot, one of [[claims.cold_treatment]]: \(loaded.claims.coldTreatments.map(\.lot).joined(separator: ", "))")
                }
                guard let from, let to, to.milliseconds > from.milliseconds else { throw ValidationError("give the treatment period: --from and a later --to") }
                guard let schedule = loaded.claims.schedule(entry.schedule) else { throw ValidationError("no schedule \(entry.schedule)") }
                let probes = entry.probes.map { (sensor: $0.sensor, placement: TreatmentProbe.Placement(rawValue: $0.placement) ?? .air) }
                let computed = try ClaimComputation.coldTreatment(
                    chain, lot: lot, probes: probes, schedule: schedule, window: from.milliseconds..<to.milliseconds)
                try requireSealed(reader, loaded, sensors: probes.map(\.sensor), before: to.milliseconds)
                let issuer = ColdTreatmentClaimIssuer(
                    identity: identity, gatewayID: loaded.gatewayID, issuerName: traceability.issuerName,
                    exporter: (id: entry.exporter, name: entry.exporterName))
                let number = try store.storeClaim(kind: "cold-treatment", subject: lot, createdAt: now) { number in
                    let claim = try issuer.issue(
                        number: number, schedule: schedule, lot: lot, window: computed.window, records: computed.records,
                        certificates: computed.certificates, result: computed.result, createdAt: now)
                    return ClaimDraft(
                        claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence, prefill: Array(JSONText.serialize(claim.ePhytoPrefill).utf8))
                }
                let result = computed.result
                let verdict =
                    result.row.map { "met \($0.maxCelsius) °C for \(Int($0.days)) days" }
                    ?? "NOT met (\(result.problems.map(\.rawValue).joined(separator: ", ")))"
                print("claim \(number): lot \(lot) \(verdict), \(result.restarts.count) restarts; evidence from \(computed.certificates.count) certificates")
            default:
                throw ValidationError("expected awd or cold-treatment, found \"\(kind)\"")
            }
        }

        /// Refuses while readings the claim would read are still unsealed: a claim rests on
        /// sealed evidence only, and one issued early would leave them out.
        func requireSealed(_ reader: JournalReader, _ config: GatewayConfiguration, sensors: [String], before: Int64) throws {
            for lot in config.traceability?.lots ?? [] {
                let mine = sensors.filter { lot.sensors.contains($0) }
                let waiting = try reader.unsealedCount(lot: lot.id, sensors: mine, observedBefore: before)
                if waiting > 0 {
                    throw ValidationError(
                        "\(waiting) readings of \(mine.joined(separator: ", ")) before \(EPCISTimestamp.format(before)) are not sealed yet: run sawah certificates seal"
                    )
                }
            }
        }
    }
}
