import ArgumentParser
import Foundation
import SawahCore
import SawahGateway
import SawahJournal
import SawahTraceability
import TestSupport

/// Sealing throughput: a journal of N readings from several sensors, sealed into certificates
/// (EPCIS document, raw series digest, signed credential, chain) in batches.
struct SealBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seal", abstract: "Readings sealed per second, batches per second, certificate bytes per reading.")

    @Option(help: "Readings in the journal.") var readings = 1_000_000
    @Option(help: "Readings per batch (seal_max_readings).") var batchSize = 5_000

    func run() throws {
        let directory = try TemporaryDirectory(prefix: "sawah-bench-seal")
        defer { directory.remove() }
        let toml = """
            [gateway]
            id = "bench"
            data_dir = "\(directory.path)"
            devices_dir = "\(ProjectPaths.root)/devices"
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
            [[traceability.lots]]
            id = "https://id.gs1.org/01/09506000134352/10/BENCH"
            name = "Bench lot"
            plot = "https://id.gs1.org/414/9506000000014"
            sensors = ["soil", "air"]
            [traceability.alarms]
            soil_temperature = { min = 15, max = 35 }
            """
        let config = try GatewayConfiguration.parse(text: toml, file: directory.file("sawah.toml"))
        let library = try DeviceLibrary.load(directory: config.devicesDirectory)
        let journal = try Journal(path: config.journalPath, durability: .process)
        print("sawah-bench seal: filling a journal with \(readings) readings…")
        let start: Int64 = 1_796_000_000_000
        var written = 0
        while written < readings {
            var batch = IngestBatch()
            for index in written..<min(readings, written + 10_000) {
                let time = start + Int64(index) * 1_000
                let phase = Double(index % 86_400) / 86_400 * 2 * .pi
                switch index % 4 {
                case 0: batch.readings.append(Reading(sensor: "soil", quantity: "soil_temperature", value: 27 + 1.5 * sin(phase), unit: "CEL", observedAt: time, receivedAt: time + 50, source: "farm/soil"))
                case 1: batch.readings.append(Reading(sensor: "air", quantity: "air_temperature", value: 28.5 + 4.5 * sin(phase), unit: "CEL", observedAt: time, receivedAt: time + 50, source: "farm/air"))
                case 2: batch.readings.append(Reading(sensor: "air", quantity: "relative_humidity", value: 80 - 15 * sin(phase), unit: "P1", observedAt: time, receivedAt: time + 50, source: "farm/air"))
                default: batch.readings.append(Reading(sensor: "air", quantity: "air_pressure", value: 1009 + sin(phase * 7), unit: "A97", observedAt: time, receivedAt: time + 50, source: "farm/air"))
                }
            }
            try journal.append(batch)
            written += batch.readings.count
        }
        let identity = try GatewayIdentity.create(at: directory.file("identity.pem"))
        let sealer = BatchSealer(journal: journal, config: config, library: library, identity: identity)
        let clock = ContinuousClock()
        let begin = clock.now
        let sealed = try sealer.sealDue(now: start + Int64(readings) * 1_000 + 60_000, force: true)
        let elapsed = clock.now - begin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let reader = try JournalReader(path: config.journalPath)
        let batches = try reader.batches()
        let certificateBytes = batches.reduce(0) { $0 + $1.jws.utf8.count + $1.epcis.count }
        print(String(format: "sealed %d readings in %d batches in %.2f s: %.0f readings/s, %.1f batches/s, %.1f certificate bytes per reading (JWS + EPCIS document; the raw series is rebuilt from the journal)",
                     batches.reduce(0) { $0 + Int($1.readingCount) }, sealed.count, seconds, Double(readings) / seconds,
                     Double(sealed.count) / seconds, Double(certificateBytes) / Double(readings)))
        let verifyBegin = clock.now
        let report = try JournalVerifier(reader: reader).verify()
        let verifySeconds = (clock.now - verifyBegin).components
        print("verified: \(report.failures.isEmpty ? "chain intact" : "\(report.failures.count) failures") in \(verifySeconds.seconds).\(String(format: "%02d", verifySeconds.attoseconds / 10_000_000_000_000_000)) s")
    }
}
