import Crypto
import SawahCore
import SawahTraceability

@testable import SawahClaims

/// A gateway's chain built in memory for claim tests: record links and batches of readings,
/// each signed and linked as the gateway seals them.
struct ClaimChain {
    let identity: GatewayIdentity
    var bundles: [CertificateBundle] = []
    private var seq: Int64 = 0

    static let lot = LotDescription(
        id: "urn:sawah:test:lot:1", name: "Test lot", plot: "urn:plot:1", farm: "https://id.gs1.org/414/9506000000007", timeZoneOffset: "+07:00")

    init(identity: GatewayIdentity = GatewayIdentity(privateKey: P256.Signing.PrivateKey())) {
        self.identity = identity
    }

    private var previous: PreviousCertificate? { bundles.last.map { PreviousCertificate(id: $0.certificateID, jws: $0.jws) } }

    mutating func record(_ record: ChainRecord) throws {
        bundles.append(
            try CertificateIssuer(identity: identity).issueRecord(
                record, gatewayID: "gw", number: Int64(bundles.count + 1), previous: previous, issuerName: "Test farm",
                timeZoneOffset: "+07:00", farm: Self.lot.farm, createdAt: record.time))
    }

    /// Seals `readings` (sensor, quantity, unit, time, value) in batches of `perBatch`.
    mutating func seal(_ readings: [(sensor: String, quantity: String, unit: String, time: Int64, value: Double)], perBatch: Int) throws {
        var start = 0
        while start < readings.count {
            let slice = readings[start..<min(start + perBatch, readings.count)]
            let rows = slice.map { item -> RawSeries.Row in
                seq += 1
                return RawSeries.Row(
                    seq: seq,
                    reading: Reading(
                        sensor: item.sensor, quantity: item.quantity, value: item.value, unit: item.unit, observedAt: item.time,
                        receivedAt: item.time + 50, source: "farm/\(item.sensor)", quality: []))
            }
            let sensors = Set(rows.map(\.reading.sensor)).reduce(into: [String: SensorDescription]()) { result, sensor in
                result[sensor] = SensorDescription(deviceID: "urn:sawah:gw:sensor:\(sensor)", name: sensor, measurementTypes: [:])
            }
            let input = BatchInput(
                gatewayID: "gw", number: Int64(bundles.count + 1), lot: Self.lot, sensors: sensors, rows: rows,
                start: rows.map(\.reading.observedAt).min()!, end: rows.map(\.reading.observedAt).max()!,
                createdAt: rows.map(\.reading.observedAt).max()! + 1_000, previous: previous, issuerName: "Test farm")
            bundles.append(try CertificateIssuer(identity: identity).issue(input))
            start += perBatch
        }
    }

    /// A season of `plot` per AWDEvaluatorTests.season, with the level readings given, one
    /// batch a day.
    static func awdSeason(_ levels: [LevelReading], identity: GatewayIdentity = GatewayIdentity(privateKey: P256.Signing.PrivateKey())) throws
        -> ClaimChain
    {
        var chain = ClaimChain(identity: identity)
        let season = AWDEvaluatorTests.season
        try chain.record(.season(plot: season.plot, stage: .start, time: season.start))
        try chain.seal(levels.map { ("tube", "water_level", "CMT", $0.time, $0.levelCm) }, perBatch: 144)
        try chain.record(.season(plot: season.plot, stage: .harvest, time: season.harvest!))
        try chain.record(.season(plot: season.plot, stage: .end, time: season.end))
        return chain
    }
}
