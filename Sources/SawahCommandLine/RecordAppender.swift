import ArgumentParser
import SawahCore
import SawahJournal
import SawahSystem
import SawahTraceability

/// Signs a season or calibration record into the chain for `sawah season` and
/// `sawah calibration`: the gateway's identity, the next link number, one transaction.
struct RecordAppender {
    let config: GatewayConfiguration
    let traceability: TraceabilityConfiguration

    init(configPath: String) throws {
        config = try SawahCoreBridge.config(configPath)
        guard let traceability = config.traceability else {
            throw ValidationError("\(configPath) has no [traceability] table: records are links of the certificate chain")
        }
        self.traceability = traceability
    }

    /// When the stated fact happened: `--at` if given, else now, which a clock NTP has not
    /// set cannot tell (DESIGN.md invariant 9).
    func time(_ at: TimeArgument?) throws -> Int64 {
        if let at { return at.milliseconds }
        if config.clock == .ntp && !ClockSync.read().synchronized {
            throw ValidationError("the system clock is not synchronised, so \"now\" is not known: give the time with --at")
        }
        return Clock.nowMilliseconds()
    }

    /// Appends `record`; returns the link's number.
    func append(_ record: ChainRecord) throws -> Int64 {
        let identity = try GatewayIdentity.load(from: traceability.identityKeyFile, didWeb: traceability.didWeb)
        let store = try SealStore.open(path: config.journalPath, durability: config.durability)
        let issuer = CertificateIssuer(identity: identity)
        let createdAt = Clock.nowMilliseconds()
        return try store.appendRecord(kind: record.kind, subject: record.subject, eventTime: record.time, createdAt: createdAt) { number, previous in
            let bundle = try issuer.issueRecord(
                record, gatewayID: config.gatewayID, number: number, previous: previous.map { PreviousCertificate(id: $0.id, jws: $0.jws) },
                issuerName: traceability.issuerName, timeZoneOffset: traceability.timeZoneOffset, farm: traceability.farm, createdAt: createdAt)
            return RecordLink(certificateID: bundle.certificateID, jws: bundle.jws, epcis: bundle.epcis)
        }
    }
}
