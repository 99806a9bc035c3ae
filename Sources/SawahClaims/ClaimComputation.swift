import SawahCore
import SawahTraceability

/// Computes a claim from a verified chain: gathers its records and readings through
/// `ChainEvidence`, runs the rule profile, and gives the evidence bundle's bytes. What
/// `sawah claims issue` signs and what `sawah verify --claims` recomputes and compares.
public enum ClaimComputation {
    /// The water level quantity the AWD rules read (`jsn-sr04t-field-tube`).
    public static let levelQuantity = "water_level"
    /// The temperature quantity the cold-treatment rules read.
    public static let temperatureQuantity = "temperature"

    public struct AWD: Sendable {
        public var season: RiceSeason
        public var levelSensor: String
        public var records: [RecordReference]
        public var certificates: [SealedEvidence]
        public var rules: AWDRules
        public var result: AWDResult

        public var evidence: [UInt8] {
            AWDClaimIssuer.evidence(
                rules: rules, season: season, levelSensor: levelSensor, records: records, certificates: certificates, result: result)
        }
    }

    /// The AWD claim of `plot`'s season that starts at `seasonStart` (the latest when nil).
    public static func awd(
        _ chain: ChainEvidence, plot: String, levelSensor: String, seasonStart: Int64? = nil, rules: AWDRules = AWDRules()
    ) throws(ClaimError) -> AWD {
        let (season, records) = try chain.season(plot: plot, start: seasonStart)
        let (rows, certificates) = try chain.readings(sensors: [levelSensor], quantity: levelQuantity, window: season.start..<season.end)
        let result = AWDEvaluator(rules: rules).evaluate(rows.map { LevelReading(time: $0.time, levelCm: $0.value) }, season: season)
        return AWD(season: season, levelSensor: levelSensor, records: records, certificates: certificates, rules: rules, result: result)
    }

    public struct ColdTreatment: Sendable {
        public var schedule: ColdTreatmentSchedule
        public var lot: String
        public var window: Range<Int64>
        public var records: [RecordReference]
        public var certificates: [SealedEvidence]
        public var result: ColdTreatmentResult

        public var evidence: [UInt8] {
            ColdTreatmentClaimIssuer.evidence(
                schedule: schedule, lot: lot, window: window, records: records, certificates: certificates, result: result)
        }
    }

    /// The cold treatment of `lot` over `window`, each probe corrected by its latest
    /// calibration recorded before the window opens.
    public static func coldTreatment(
        _ chain: ChainEvidence, lot: String, probes: [(sensor: String, placement: TreatmentProbe.Placement)], schedule: ColdTreatmentSchedule,
        window: Range<Int64>
    ) throws(ClaimError) -> ColdTreatment {
        let sensors = probes.map(\.sensor).sorted()
        let calibrations = try chain.calibrations(sensors: sensors, before: window.lowerBound)
        let treatmentProbes = probes.map { probe in
            let calibration = calibrations[probe.sensor]!
            return TreatmentProbe(
                id: probe.sensor, placement: probe.placement, iceReadingCelsius: calibration.iceReading,
                calibrationHash: calibration.reference.credentialDigest)
        }
        let (rows, certificates) = try chain.readings(sensors: Set(sensors), quantity: temperatureQuantity, window: window)
        let samples = rows.map { ColdTreatmentEvaluator.Sample(probe: $0.sensor, time: $0.time, celsius: $0.value) }
        let result = ColdTreatmentEvaluator(schedule: schedule).evaluate(samples, probes: treatmentProbes)
        return ColdTreatment(
            schedule: schedule, lot: lot, window: window, records: sensors.map { calibrations[$0]!.reference }, certificates: certificates,
            result: result)
    }
}
