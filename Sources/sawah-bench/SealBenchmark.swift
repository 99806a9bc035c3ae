import ArgumentParser
import Foundation
import SawahCore
import SawahGateway
import SawahJournal
import SawahStatus
import SawahSystem
import SawahTraceability
import TestSupport

/// Sealing throughput: a journal of N readings from several sensors, sealed into certificates
/// (EPCIS document, raw series digest, signed credential, chain) in batches.
struct SealBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal", abstract: "Readings sealed per second, batches per second, certificate bytes per reading.")

    @Option(help: "Readings in the journal.") var readings = 1_000_000
    @Option(help: "Readings per batch (seal_max_readings).") var batchSize = 5_000

    func run() throws {
        print("sawah-bench seal: filling a journal with \(readings) readings…")
        let fixture = try SealedJournalFixture(readings: readings, batchSize: batchSize)
        defer { fixture.directory.remove() }
        let clock = ContinuousClock()
        let begin = clock.now
        let sealed = try fixture.sealAll(readings: readings)
        let elapsed = clock.now - begin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let reader = try JournalReader(path: fixture.config.journalPath)
        let batches = try reader.batches()
        let certificateBytes = batches.reduce(0) { $0 + $1.jws.utf8.count + $1.epcis.count }
        print(
            String(
                format:
                    "sealed %d readings in %d batches in %.2f s: %.0f readings/s, %.1f batches/s, %.1f certificate bytes per reading (JWS + EPCIS document; the raw series is rebuilt from the journal)",
                batches.reduce(0) { $0 + Int($1.readingCount) }, sealed.count, seconds, Double(readings) / seconds,
                Double(sealed.count) / seconds, Double(certificateBytes) / Double(readings)))
        let verifyBegin = clock.now
        let report = try JournalVerifier(reader: reader).verify()
        let verifySeconds = (clock.now - verifyBegin).components
        try Self.derivedCopies(reader: reader, sealingSecondsPerBatch: seconds / Double(max(1, sealed.count)), count: 20)
        print(
            "verified: \(report.failures.isEmpty ? "chain intact" : "\(report.failures.count) failures") in \(verifySeconds.seconds).\(String(format: "%02d", verifySeconds.attoseconds / 10_000_000_000_000_000)) s"
        )
    }
}
