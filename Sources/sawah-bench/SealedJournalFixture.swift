import Foundation
import SawahCore
import SawahGateway
import SawahJournal
import SawahStatus
import SawahSystem
import SawahTraceability
import TestSupport

/// A journal of N synthetic readings from a soil probe and a weather station in one lot, with
/// a gateway identity: what the seal benchmark seals and the uplink benchmark delivers.
struct SealedJournalFixture {
    let directory: TemporaryDirectory
    let config: GatewayConfiguration
    let journal: Journal
    let identity: GatewayIdentity
    /// Observation time of the first reading; one reading a second after it.
    static let start: Int64 = 1_796_000_000_000

    /// `extraConfig` is appended to the config (platforms, for the uplink benchmark).
    init(readings: Int, batchSize: Int, extraConfig: String = "") throws {
        directory = try TemporaryDirectory(prefix: "sawah-bench")
        let toml = """
            [gateway]
            id = "bench"
            data_dir = "\(directory.path)"
            devices_dir = "\(ProjectPaths.root)/devices"
            [mqtt]
            port = 1
            [[sensors]]
            id = "soil"
            profile = "ds18b20"
            topic = "farm/soil"
            [[sensors]]
            id = "air"
            profile = "bme280"
            topic = "farm/air"
            [traceability]
            issuer_name = "Bench farm"
            farm = "https://id.gs1.org/414/9506000000007"
            time_zone_offset = "+07:00"
            seal_max_readings = \(batchSize)
            identity_key = "\(directory.file("identity.pem"))"
            [[traceability.lots]]
            id = "https://id.gs1.org/01/09506000134352/10/BENCH"
            name = "Bench lot"
            plot = "https://id.gs1.org/414/9506000000014"
            sensors = ["soil", "air"]
            [traceability.alarms]
            soil_temperature = { min = 15, max = 35 }
            \(extraConfig)
            """
        try directory.write(toml, to: "sawah.toml")
        config = try GatewayConfiguration.parse(text: toml, file: directory.file("sawah.toml"))
        journal = try Journal(path: config.journalPath, durability: .process)
        identity = try GatewayIdentity.create(at: directory.file("identity.pem"))
        var written = 0
        while written < readings {
            var batch = IngestBatch()
            for index in written..<min(readings, written + 10_000) {
                let time = Self.start + Int64(index) * 1_000
                let phase = Double(index % 86_400) / 86_400 * 2 * .pi
                switch index % 4 {
                case 0:
                    batch.readings.append(
                        Reading(
                            sensor: "soil", quantity: "soil_temperature", value: 27 + 1.5 * sin(phase), unit: "CEL", observedAt: time, receivedAt: time + 50,
                            source: "farm/soil"))
                case 1:
                    batch.readings.append(
                        Reading(
                            sensor: "air", quantity: "air_temperature", value: 28.5 + 4.5 * sin(phase), unit: "CEL", observedAt: time, receivedAt: time + 50,
                            source: "farm/air"))
                case 2:
                    batch.readings.append(
                        Reading(
                            sensor: "air", quantity: "relative_humidity", value: 80 - 15 * sin(phase), unit: "P1", observedAt: time, receivedAt: time + 50,
                            source: "farm/air"))
                default:
                    batch.readings.append(
                        Reading(
                            sensor: "air", quantity: "air_pressure", value: 1009 + sin(phase * 7), unit: "A97", observedAt: time, receivedAt: time + 50,
                            source: "farm/air"))
                }
            }
            try journal.ingest.append(batch)
            written += batch.readings.count
        }
    }

    /// Seals everything; returns the batch numbers.
    func sealAll(readings: Int) throws -> [Int64] {
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        let sealer = BatchSealer(journal: journal.sealing, config: config, library: library, identity: identity)
        return try sealer.sealDue(now: Self.start + Int64(readings) * 1_000 + 60_000, force: true)
    }
}
