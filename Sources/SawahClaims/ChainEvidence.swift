import SawahCore
import SawahTraceability

/// What a claim reads from a gateway's certificate chain, verified beforehand: the season and
/// calibration records (from their signed EPCIS documents) and the readings of given sensors
/// (from the sealed raw series), with the links they came from. The issuer and the verifier
/// both read through here, so a claim is recomputed from exactly what it was computed from.
public struct ChainEvidence: Sendable {
    /// Record links in chain order, with what each says.
    public let records: [(bundle: CertificateBundle, record: ChainRecord)]
    let batches: [CertificateBundle]

    public init(chain: [CertificateBundle]) {
        var records: [(CertificateBundle, ChainRecord)] = []
        var batches: [CertificateBundle] = []
        for bundle in chain {
            if !bundle.rawSeries.isEmpty {
                batches.append(bundle)
            } else if !bundle.epcis.isEmpty, case .success(let record) = ChainRecord.parse(epcis: bundle.epcis) {
                records.append((bundle, record))
            }
        }
        self.records = records
        self.batches = batches
    }

    /// One reading of the sensors asked for, with its sealing certificate.
    public struct SensorRow: Sendable {
        public var sensor: String
        public var time: Int64
        public var value: Double
    }

    /// Every sealed reading of `quantity` from `sensors` observed in `window`, in time order
    /// (then sequence), and the certificates holding them, each named once in chain order.
    public func readings(sensors: Set<String>, quantity: String, window: Range<Int64>) throws(ClaimError) -> (
        rows: [SensorRow], certificates: [SealedEvidence]
    ) {
        var rows: [(seq: Int64, row: SensorRow)] = []
        var certificates: [SealedEvidence] = []
        for bundle in batches {
            let parsed: [RawSeries.Row]
            switch RawSeries.parse(bundle.rawSeries) {
            case .success(let value): parsed = value
            case .failure(let error): throw .unreadable("the raw series of \(bundle.certificateID): \(error)")
            }
            var used = false
            for row in parsed
            where sensors.contains(row.reading.sensor) && row.reading.quantity == quantity && window.contains(row.reading.observedAt) {
                rows.append((row.seq, SensorRow(sensor: row.reading.sensor, time: row.reading.observedAt, value: row.reading.value)))
                used = true
            }
            if used { certificates.append(SealedEvidence(certificateID: bundle.certificateID, rawSeriesDigest: DigestSRI.sha256(bundle.rawSeries))) }
        }
        rows.sort { ($0.row.time, $0.seq) < ($1.row.time, $1.seq) }
        return (rows.map(\.row), certificates)
    }

    /// The season of `plot` that starts at `start` (the latest one when nil): its start record,
    /// the end record after it, and the last transplant and harvest records between them.
    public func season(plot: String, start: Int64? = nil) throws(ClaimError) -> (season: RiceSeason, records: [RecordReference]) {
        var stages: [(bundle: CertificateBundle, stage: ChainRecord.SeasonStage, time: Int64)] = []
        for (bundle, record) in records {
            if case .season(plot, let stage, let time) = record { stages.append((bundle, stage, time)) }
        }
        let starts = stages.enumerated().filter { $0.element.stage == .start && (start == nil || $0.element.time == start) }
        guard let opening = starts.last else {
            throw .missing(
                start.map { "no season start record for plot \(plot) at \(EPCISTimestamp.format($0))" }
                    ?? "no season start record for plot \(plot): run sawah season start --plot \(plot)")
        }
        let after = stages[(opening.offset + 1)...]
        guard let closing = after.first(where: { $0.stage == .end }) else {
            throw .missing(
                "the season of plot \(plot) started \(EPCISTimestamp.format(opening.element.time)) has no end record yet: run sawah season end --plot \(plot)")
        }
        let inside = after.prefix { $0.stage != .end }
        let transplant = inside.last { $0.stage == .transplant }
        let harvest = inside.last { $0.stage == .harvest }
        let used = [opening.element] + [transplant, harvest].compactMap { $0 } + [closing]
        let season = RiceSeason(plot: plot, start: opening.element.time, transplant: transplant?.time, harvest: harvest?.time, end: closing.time)
        guard season.end > season.start else { throw .missing("the season of plot \(plot) ends before it starts") }
        return (season, used.map { RecordReference($0.bundle) })
    }

    /// Each probe's latest calibration recorded at or before `before`.
    public func calibrations(sensors: [String], before: Int64) throws(ClaimError) -> [String: (iceReading: Double, reference: RecordReference)] {
        var found: [String: (Double, RecordReference)] = [:]
        for (bundle, record) in records {
            if case .calibration(let sensor, _, let reading, let time) = record, sensors.contains(sensor), time <= before {
                found[sensor] = (reading, RecordReference(bundle))
            }
        }
        let missing = sensors.filter { found[$0] == nil }
        if !missing.isEmpty {
            throw .missing(
                "no calibration record before \(EPCISTimestamp.format(before)) for probe \(missing.joined(separator: ", ")): run sawah calibration record")
        }
        return found
    }
}

/// Why a claim cannot be computed from the chain.
public enum ClaimError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record or reading the claim needs is not in the chain.
    case missing(String)
    /// Part of the chain could not be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case .missing(let text), .unreadable(let text): text
        }
    }
}
