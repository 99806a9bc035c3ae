import SawahTraceability

/// Why a sealed batch's bundle, rebuilt from the journal, is not the one that was sealed. The
/// rebuilt bundle comes with it: the verifier still checks its signature and chain link, and
/// an export still writes it for an auditor to see what is left.
public enum BundleProblem: Error, CustomStringConvertible, Sendable {
    /// Retention removed readings the batch sealed: its raw series cannot be rebuilt.
    case readingsPruned(batch: Int64, sealed: Int64, left: Int64, rebuilt: CertificateBundle)
    /// All of the batch's readings are there, but the series they make no longer has the
    /// digest the certificate signed: a reading was changed after sealing.
    case readingsChanged(batch: Int64, rebuilt: CertificateBundle)

    /// The bundle as rebuilt, for the callers that use it regardless.
    public var rebuilt: CertificateBundle {
        switch self {
        case .readingsPruned(_, _, _, let bundle), .readingsChanged(_, let bundle): bundle
        }
    }

    /// The verifier's name for the check that broke.
    public var check: String {
        switch self {
        case .readingsPruned: "readings"
        case .readingsChanged: "raw series digest"
        }
    }

    public var description: String {
        switch self {
        case .readingsPruned(let batch, let sealed, let left, _):
            "batch \(batch): retention removed \(sealed - left) of the \(sealed) readings it sealed; its raw series cannot be rebuilt"
        case .readingsChanged(let batch, _):
            "batch \(batch): its readings changed since sealing; the raw series no longer has the digest its certificate signed"
        }
    }
}
