import Crypto
import SawahCore
import SawahTraceability

/// A small certificate chain for the platform's and the system tests: one soil probe, six readings a batch.
public enum SampleChain {
    public static let lot = LotDescription(
        id: "https://id.gs1.org/01/09506000134352/10/PLATFORM-TEST", name: "Platform test lot",
        plot: "https://id.gs1.org/414/9506000000014", farm: nil, timeZoneOffset: "+07:00", coordinates: nil)
    public static let sensors = [
        "probe": SensorDescription(
            deviceID: "urn:sawah:gw-test:sensor:probe", name: "DS18B20 (probe)",
            measurementTypes: ["soil_temperature": "Temperature"], alarms: [:])
    ]

    public static func bundles(_ count: Int, gateway: String = "gw-test", key: P256.Signing.PrivateKey = .init()) throws -> [CertificateBundle] {
        var bundles: [CertificateBundle] = []
        for number in 1...Int64(count) { bundles.append(try next(number: number, after: bundles.last, gateway: gateway, key: key)) }
        return bundles
    }

    /// Certificate `number`, linked by hash to `previous` and signed with `key` — which need
    /// not be the key that signed `previous` (a forger continuing somebody's chain).
    public static func next(number: Int64, after previous: CertificateBundle?, gateway: String = "gw-test", key: P256.Signing.PrivateKey) throws
        -> CertificateBundle
    {
        let issuer = CertificateIssuer(identity: GatewayIdentity(privateKey: key))
        let base: Int64 = 1_796_000_000_000 + number * 600_000
        let rows = (0..<6).map { index in
            RawSeries.Row(
                seq: (number - 1) * 6 + Int64(index) + 1,
                reading: Reading(
                    sensor: "probe", quantity: "soil_temperature", value: 25 + Double(index) / 4, unit: "CEL",
                    observedAt: base + Int64(index) * 60_000, receivedAt: base + Int64(index) * 60_000 + 30, source: "farm/probe", quality: []))
        }
        let input = BatchInput(
            gatewayID: gateway, number: number, lot: lot, sensors: sensors, rows: rows,
            start: rows.first!.reading.observedAt, end: rows.last!.reading.observedAt, createdAt: base + 400_000,
            previous: previous.map { PreviousCertificate(id: $0.certificateID, jws: $0.jws) }, issuerName: "Sawah test farm")
        return try issuer.issue(input)
    }
}
