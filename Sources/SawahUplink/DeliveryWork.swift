import SawahClaims
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

/// What one worker sends in one go: a credentials bundle, or the events of a group of
/// batches for one EPCIS capture.
enum DeliveryWork: Sendable {
    case bundle(CertificateBundle)
    case capture([CaptureItem])
    /// A claim and its number (a claims platform's queue holds claim numbers).
    case claim(number: Int64, ClaimTransfer)

    /// Builds the work for the claimed batches from the journal. Batches that cannot be sent
    /// at all get their outcome at once: a key rotation has nothing to capture; a batch whose
    /// readings were pruned or changed since sealing cannot be sent to a credentials platform.
    static func load(_ numbers: [Int64], kind: PlatformConfiguration.Kind, reader: JournalReader) throws(JournalError) -> (
        DeliveryWork?, [Int64: DeliveryOutcome]
    ) {
        var settled: [Int64: DeliveryOutcome] = [:]
        var items: [CaptureItem] = []
        if kind == .claims {
            for number in numbers {
                guard let claim = try reader.claims(matching: String(number)).first(where: { $0.number == number }) else {
                    settled[number] = .dead(reason: "claim \(number) is not in the journal")
                    continue
                }
                let transfer = ClaimTransfer(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence, ePhytoPrefill: claim.prefill)
                return (.claim(number: number, transfer), settled)
            }
            return (nil, settled)
        }
        for number in numbers {
            guard let batch = try reader.batch(number) else {
                settled[number] = .dead(reason: "batch \(number) is not in the journal")
                continue
            }
            switch kind {
            case .credentials:
                switch try reader.bundle(of: batch) {
                case .success(let bundle):
                    return (.bundle(bundle), settled)
                case .failure(let problem):
                    // The platform would refuse it, now and on every retry.
                    settled[number] = .dead(reason: problem.description)
                    continue
                }
            case .claims:
                break
            case .epcis:
                // A season or calibration record has no lot but one EPCIS event, captured like any.
                if batch.lot.isEmpty && batch.epcis.isEmpty {
                    settled[number] = .delivered(note: "a key rotation carries no EPCIS events")
                    continue
                }
                do {
                    items.append(try CaptureItem(batch: number, document: batch.epcis))
                } catch {
                    settled[number] = .dead(reason: error.description)
                }
            }
        }
        return (items.isEmpty ? nil : .capture(items), settled)
    }
}
