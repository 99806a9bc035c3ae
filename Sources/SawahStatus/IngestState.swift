import SawahCore
import SawahTraceability

/// Whether sawahd can store what arrives. While the journal refuses writes (the disk is full,
/// the file system went read-only) nothing is acknowledged, so the broker keeps the messages;
/// this is what the health topic and the metrics show of it, so that a stalled gateway is
/// never mistaken for a quiet field.
public struct IngestState: Sendable, Equatable {
    /// When the first of the current run of failed commits happened; nil while commits succeed.
    public var blockedSince: Int64?
    /// The last failure, in the journal's words.
    public var reason: String?
    /// What refuses the writes, as far as it can be told.
    public var cause: Cause = .journal

    public enum Cause: String, Sendable {
        /// The disk, or the file's quota, has no room (`SQLITE_FULL`).
        case diskFull = "disk full"
        /// The filesystem is read-only (remounted so by the kernel after I/O errors).
        case readOnly = "read-only filesystem"
        /// Anything else SQLite reported.
        case journal = "journal error"
    }

    public init(blockedSince: Int64? = nil, reason: String? = nil, cause: Cause = .journal) {
        self.blockedSince = blockedSince
        self.reason = reason
        self.cause = cause
    }

    public var isBlocked: Bool { blockedSince != nil }

    /// `{"state": "ok"}` or `{"state": "blocked", "cause": "disk full", "since": …, "error": …}`
    /// (cause "disk full", "read-only filesystem" or "journal error").
    public var json: JSONValue {
        guard let since = blockedSince else { return .object(["state": .string("ok")]) }
        return .object([
            "state": .string("blocked"), "cause": .string(cause.rawValue),
            "since": .string(EPCISTimestamp.format(since)), "error": reason.map(JSONValue.string) ?? .null
        ])
    }
}
