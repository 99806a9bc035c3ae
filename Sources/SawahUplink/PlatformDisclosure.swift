import Crypto
import Foundation
import SawahCore
import SawahJournal
import SawahStatus
import SawahTraceability

/// What one platform gets of each batch under its disclosure profile (DESIGN.md invariant 10):
/// the original, a derived copy made once and kept in the journal (so every retry sends the
/// same bytes), or nothing. The profile's hash goes into the audit with every delivery.
struct PlatformDisclosure: Sendable {
    let platform: String
    let profile: DisclosureProfile
    /// `digestSRI` of the profile's canonical text.
    let profileHash: String
    /// The signer and derivation of copies; nil for a profile that can remove nothing.
    let copier: (issuer: CertificateIssuer, derivation: DisclosureDerivation)?

    enum Disclosed: Sendable {
        /// Send this bundle (the original or the copy); its id goes into the audit.
        case send(CertificateBundle)
        /// Send nothing, with the reason.
        case withheld(String)
    }

    /// A profile that lets everything out: exact location, raw series, every quantity and lot,
    /// device ids, no terms.
    static func removesNothing(_ profile: DisclosureProfile) -> Bool {
        profile.location == .exact && profile.series == .raw && profile.quantities == nil && profile.lots == nil && !profile.pseudonymousDevices
            && profile.terms == nil
    }

    init(platform: PlatformConfiguration, identity: GatewayIdentity?, gatewaySecret: [UInt8]) throws(UplinkSetupError) {
        self.platform = platform.id
        profile = platform.disclosure
        profileHash = DigestSRI.sha256(Array(platform.disclosure.canonicalText.utf8))
        if Self.removesNothing(platform.disclosure) || platform.kind == .claims {
            copier = nil
        } else {
            guard let identity else {
                throw UplinkSetupError(
                    platform: platform.id, problem: "its disclosure profile needs derived copies, signed with the gateway's key: add [traceability]")
            }
            copier = (
                CertificateIssuer(identity: identity),
                DisclosureDerivation(profile: platform.disclosure, platform: platform.id, gatewaySecret: gatewaySecret)
            )
        }
    }

    /// What the platform gets of `batch`. Links with no lot (key rotations, season and
    /// calibration records) go as they are, except that records are withheld from a profile
    /// that hides locations or device ids (they name the plot or the probe). An EPCIS platform
    /// gets the event alone: its copy needs no signature, and the same original always gives
    /// the same bytes. A credentials platform gets a signed copy, made once and kept.
    func disclose(_ batch: StoredBatch, kind: PlatformConfiguration.Kind, reader: JournalReader, ledger: DeliveryLedger) throws -> Disclosed {
        let original = { () throws -> CertificateBundle in
            switch try reader.bundle(of: batch) {
            case .success(let bundle): return bundle
            case .failure(let problem): throw DisclosureProblem(description: problem.description)
            }
        }
        // The sealed document as it is, without rebuilding the series (enough for a capture).
        let sealed = CertificateBundle(number: batch.number, certificateID: batch.certificateID, jws: batch.jws, epcis: batch.epcis, rawSeries: [])
        guard let copier else { return .send(kind == .epcis ? sealed : try original()) }
        if batch.lot.isEmpty {
            if !batch.epcis.isEmpty && (profile.location == .none || profile.pseudonymousDevices) {
                return .withheld("a season or calibration record names the plot or the probe, which this profile withholds")
            }
            return .send(kind == .epcis ? sealed : try original())
        }
        guard copier.derivation.discloses(lot: batch.lot) else { return .withheld("lot \(batch.lot) is not disclosed to this platform") }
        if kind == .epcis {
            let source = profile.quantities == nil ? sealed : try original()
            guard let derived = try copier.derivation.derive(source, eventOnly: true) else { return .send(sealed) }
            return .send(
                CertificateBundle(
                    number: batch.number, certificateID: copier.derivation.derivedID(of: batch.certificateID), jws: "", epcis: derived.epcis, rawSeries: []))
        }
        if let kept = try ledger.derivedCopy(platform: platform, batch: batch.number, profileHash: profileHash) {
            return .send(kept.bundle(number: batch.number))
        }
        let source = try original()
        // A lot filter means some batches never leave: originals would then be chain links
        // with gaps, so every batch of such a platform goes as a copy.
        guard let copy = try copier.issuer.issueDerived(from: source, derivation: copier.derivation, always: profile.lots != nil) else {
            return .send(source)
        }
        let kept = try ledger.storeDerivedCopy(
            DerivedCopy(certificateID: copy.certificateID, jws: copy.jws, epcis: copy.epcis, series: copy.rawSeries), platform: platform,
            batch: batch.number, profileHash: profileHash)
        return .send(kept.bundle(number: batch.number))
    }

    /// The gateway's pseudonym secret (`<data_dir>/pseudonym.key`, 32 random bytes, mode 0600),
    /// made on first use. Only its holder can make or open pseudonyms.
    static func gatewaySecret(dataDirectory: String) throws -> [UInt8] {
        let path = dataDirectory + "/pseudonym.key"
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw DisclosureProblem(description: "\(path) holds \(data.count) bytes, not a 32-byte key") }
            return Array(data)
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        guard FileManager.default.createFile(atPath: path, contents: Data(secret), attributes: [.posixPermissions: 0o600]) else {
            throw DisclosureProblem(description: "cannot create \(path)")
        }
        return secret
    }
}

/// Why a batch's disclosure could not be made now.
struct DisclosureProblem: Error, CustomStringConvertible {
    var description: String
}
