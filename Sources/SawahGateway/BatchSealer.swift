import Foundation
import SawahCore
import SawahJournal
import SawahStatus
import SawahSystem
import SawahTraceability

/// Seals committed readings into certificates, lot by lot: whenever a lot has
/// `seal_max_readings` unsealed readings or its oldest is `seal_interval_seconds` old, the
/// readings, the EPCIS document, the signed credential and the advanced cursor are written in
/// one transaction (DESIGN.md invariant 3).
public struct BatchSealer: Sendable {
    let journal: SealStore
    let traceability: TraceabilityConfiguration
    let gatewayID: String
    let sensors: [String: SensorDescription]
    let identity: GatewayIdentity
    /// Read again before every pass, so a key rotated by `sawah identity rotate` is used at once.
    let keyFile: String?
    /// `[gateway] clock = "trusted"`: the operator vouches for the wall clock (an RTC, GPS),
    /// so readings count as synchronised whatever the kernel says.
    let clockTrusted: Bool

    public init(journal: SealStore, config: GatewayConfiguration, library: DeviceLibrary, identity: GatewayIdentity) {
        self.journal = journal
        self.traceability = config.traceability ?? TraceabilityConfiguration(issuerName: "", identityKeyFile: "")
        self.gatewayID = config.gatewayID
        self.identity = identity
        self.keyFile = config.traceability?.identityKeyFile
        self.clockTrusted = config.clock == .trusted
        var sensors: [String: SensorDescription] = [:]
        for sensor in config.sensors {
            guard let profile = library.profiles[sensor.profile] else { continue }
            var types: [String: String] = [:]
            var alarms: [String: ClosedRange<Double>] = [:]
            for quantity in profile.quantities {
                types[quantity.name] = quantity.measurement
                alarms[quantity.name] = traceability.alarms[quantity.name]
            }
            sensors[sensor.id] = SensorDescription(
                deviceID: sensor.deviceID ?? "urn:sawah:\(config.gatewayID):sensor:\(sensor.id)",
                name: "\(profile.manufacturer) \(profile.model) (\(sensor.id))", measurementTypes: types, alarms: alarms)
        }
        self.sensors = sensors
    }

    /// Once the clock is synchronised (or trusted), gives the readings this boot received before
    /// that their true times, so that sealing stops waiting for them (DESIGN.md invariant 9).
    /// Run before each sealing pass; returns how many readings were corrected.
    @discardableResult
    public func correctClock(synchronised: Bool = ClockSync.kernelSynchronised(), clock: SynchronisedClock? = .sample()) throws -> Int {
        guard synchronised || clockTrusted, let clock else { return 0 }
        return try journal.correctClock(clock)
    }

    /// Seals every batch that is due at `now` (ms since 1970); `force` seals whatever is
    /// pending. Readings this boot (`currentBoot`) received with an unsynchronised clock are
    /// waited for; those of earlier boots never enter a certificate. Returns the numbers of
    /// the batches sealed.
    @discardableResult
    public func sealDue(now: Int64, force: Bool = false, currentBoot: String? = MonotonicClock.bootID()) throws -> [Int64] {
        var identity = self.identity
        if let keyFile, FileManager.default.fileExists(atPath: keyFile) {
            identity = try GatewayIdentity.load(from: keyFile, didWeb: traceability.didWeb)
        }
        let issuer = CertificateIssuer(identity: identity)
        let dueBefore = force ? Int64.max : now - Int64(traceability.sealIntervalSeconds) * 1_000
        var sealed: [Int64] = []
        for lot in traceability.lots {
            while let number = try Self.surfacingRefusal(
                journal.sealNext(
                    lot: lot.id, sensors: lot.sensors, maxReadings: traceability.sealMaxReadings,
                    dueBefore: dueBefore, currentBoot: currentBoot, build: { draft in try build(draft, lot: lot, now: now, issuer: issuer) }))
            {
                sealed.append(number)
            }
        }
        return sealed
    }

    /// A refusal raised inside the journal's transaction comes out as itself, not as a journal
    /// failure, so callers can tell "not now" from "the journal broke".
    static func surfacingRefusal<T>(_ body: @autoclosure () throws -> T) throws -> T {
        do {
            return try body()
        } catch JournalError.aborted(_, let refusal as SealingRefusal) {
            throw refusal
        }
    }

    func build(_ draft: BatchDraft, lot: TraceabilityConfiguration.Lot, now: Int64, issuer: CertificateIssuer) throws -> SealedBatch {
        // After a rotation link only the key it names may sign: a batch signed by the retired
        // key (a pass between the link's commit and the key files' swap, or after an interrupted
        // rotation) would break the chain for every verifier, for good.
        if let rotation = draft.lastRotation {
            let named = CertificateIssuer.successorKey(ofRotation: rotation.jws)
            guard named == issuer.identity.verificationMethod else {
                throw SealingRefusal.keyNotNamedByRotation(
                    rotation: rotation.number, named: named ?? "an unreadable key",
                    loaded: issuer.identity.verificationMethod, keyFile: keyFile)
            }
        }
        let rows = draft.rows.map { RawSeries.Row(seq: $0.seq, reading: $0.reading) }
        let observed = rows.map(\.reading.observedAt)
        let input = BatchInput(
            gatewayID: gatewayID, number: draft.number,
            lot: LotDescription(
                id: lot.id, name: lot.name, plot: lot.plot, farm: traceability.farm,
                timeZoneOffset: traceability.timeZoneOffset, coordinates: lot.coordinates),
            sensors: sensors, rows: rows, start: observed.min() ?? now, end: observed.max() ?? now, createdAt: now,
            previous: draft.previous.map { PreviousCertificate(id: $0.id, jws: $0.jws) }, issuerName: traceability.issuerName)
        let bundle = try issuer.issue(input)
        return SealedBatch(
            certificateID: bundle.certificateID, jws: bundle.jws, epcis: bundle.epcis,
            rawDigest: DigestSRI.sha256(bundle.rawSeries), createdAt: now)
    }
}
