import Foundation
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

extension SealBenchmark {
    /// The cost of a platform's derived copy per batch (what sawah-uplink does once per batch
    /// and platform whose disclosure profile removes something), beside sealing's own cost.
    static func derivedCopies(reader: JournalReader, sealingSecondsPerBatch: Double, count: Int) throws {
        let batches = Array(try reader.batches().prefix(count))
        let originals = try batches.map { batch -> CertificateBundle in
            switch try reader.bundle(of: batch) {
            case .success(let bundle): return bundle
            case .failure(let problem): throw problem
            }
        }
        let issuer = CertificateIssuer(identity: GatewayIdentity(privateKey: .init()))
        var certifier = DisclosureProfile()
        certifier.pseudonymousDevices = true
        var dashboard = DisclosureProfile()
        dashboard.location = .geohash(precision: 5)
        dashboard.series = .aggregate(seconds: 3_600)
        dashboard.pseudonymousDevices = true
        let secret = [UInt8](repeating: 7, count: 32)
        for (name, profile) in [
            ("certifier (facility-only, pseudonyms, raw series)", certifier), ("dashboard (geohash:5, hourly aggregates, pseudonyms)", dashboard)
        ] {
            let derivation = DisclosureDerivation(profile: profile, platform: "bench", gatewaySecret: secret)
            var bytes = 0
            let begin = Date()
            for original in originals {
                guard let copy = try issuer.issueDerived(from: original, derivation: derivation, always: true) else { continue }
                bytes += copy.jws.utf8.count + copy.epcis.count + copy.rawSeries.count
            }
            let perBatch = Date().timeIntervalSince(begin) / Double(originals.count)
            print(
                String(
                    format: "derived copy for a %@: %.1f ms per batch (%.2f× sealing's %.1f ms), %.0f bytes per batch",
                    name, perBatch * 1_000, perBatch / sealingSecondsPerBatch, sealingSecondsPerBatch * 1_000, Double(bytes) / Double(originals.count)))
        }
    }
}
