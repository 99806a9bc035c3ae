import SawahClaims
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

/// What one worker sends in one go: a credentials bundle, the events of a group of batches
/// for one EPCIS capture, or a claim.
enum DeliveryWork: Sendable {
    case bundle(CertificateBundle)
    case capture([CaptureItem])
    /// A claim and its number (a claims platform's queue holds claim numbers).
    case claim(number: Int64, ClaimTransfer)

    /// The claimed batches' work, their outcomes settled without sending, and for the audit the
    /// certificate each sends ('' when its profile withheld it).
    struct Loaded {
        var work: DeliveryWork?
        var settled: [Int64: DeliveryOutcome] = [:]
        var sent: [Int64: String] = [:]
    }

    /// Builds the work for the claimed batches from the journal, as the platform's disclosure
    /// profile allows. Batches that cannot be sent at all get their outcome at once: a key
    /// rotation has nothing to capture; a batch whose readings were pruned or changed since
    /// sealing cannot be sent to a credentials platform; a lot the profile withholds is done.
    static func load(
        _ numbers: [Int64], kind: PlatformConfiguration.Kind, reader: JournalReader, disclosure: PlatformDisclosure, ledger: DeliveryLedger
    ) throws(JournalError) -> Loaded {
        var loaded = Loaded()
        if kind == .claims {
            for number in numbers {
                guard let claim = try reader.claims(matching: String(number)).first(where: { $0.number == number }) else {
                    loaded.settled[number] = .dead(reason: "claim \(number) is not in the journal")
                    continue
                }
                loaded.work = .claim(
                    number: number, ClaimTransfer(claimID: claim.claimID, jws: claim.jws, evidence: claim.evidence, ePhytoPrefill: claim.prefill))
                loaded.sent[number] = claim.claimID
                return loaded
            }
            return loaded
        }
        var items: [CaptureItem] = []
        for number in numbers {
            guard let batch = try reader.batch(number) else {
                loaded.settled[number] = .dead(reason: "batch \(number) is not in the journal")
                continue
            }
            if kind == .epcis && batch.lot.isEmpty && batch.epcis.isEmpty {
                loaded.settled[number] = .delivered(note: "a key rotation carries no EPCIS events")
                continue
            }
            let disclosed: PlatformDisclosure.Disclosed
            do {
                disclosed = try disclosure.disclose(batch, kind: kind, reader: reader, ledger: ledger)
            } catch let error as JournalError {
                throw error
            } catch {
                // The platform would refuse it, now and on every retry.
                loaded.settled[number] = .dead(reason: "\(error)")
                continue
            }
            switch disclosed {
            case .withheld(let reason):
                loaded.settled[number] = .delivered(note: "withheld: \(reason)")
                loaded.sent[number] = ""
            case .send(let bundle) where kind == .credentials:
                loaded.work = .bundle(bundle)
                loaded.sent[number] = bundle.certificateID
                return loaded
            case .send(let bundle):
                do {
                    items.append(try CaptureItem(batch: number, document: bundle.epcis))
                    loaded.sent[number] = bundle.certificateID
                } catch {
                    loaded.settled[number] = .dead(reason: error.description)
                }
            }
        }
        if !items.isEmpty { loaded.work = .capture(items) }
        return loaded
    }
}
