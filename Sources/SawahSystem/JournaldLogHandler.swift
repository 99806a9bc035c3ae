import Foundation
import Logging
import SawahCore

/// One line per event on stderr. Under systemd (`JOURNAL_STREAM` set) each line starts with
/// the sd-daemon priority prefix (`<6>`), so journald files it at the right level and adds its
/// own timestamp; on a terminal the line starts with an ISO 8601 time instead.
public struct JournaldLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let underSystemd: Bool

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
        self.underSystemd = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(line(level: event.level, message: "\(event.message)", metadata: event.metadata).utf8))
    }

    /// The one line an event becomes. Message and values are escaped (`ControlCharacters`):
    /// a topic or payload with a newline must not forge a log entry of its own.
    func line(level: Logger.Level, message: String, metadata extra: Logger.Metadata?) -> String {
        var fields = self.metadata
        if let extra { fields.merge(extra) { $1 } }
        let rendered = fields.sorted { $0.key < $1.key }
            .map { "\(ControlCharacters.escaped($0.key))=\(Self.quote(ControlCharacters.escaped("\($0.value)")))" }.joined(separator: " ")
        let prefix =
            underSystemd
            ? "<\(Self.priority(level))>"
            : Self.utcNow() + " \(level) "
        return "\(prefix)\(label): \(ControlCharacters.escaped(message))\(rendered.isEmpty ? "" : " " + rendered)\n"
    }

    /// `2026-12-02T15:41:49.123Z`, from the C library: Foundation's ISO 8601 style loads
    /// ICU's time-zone data on first use, which alone cost sawahd ~2.4 MB of peak RSS.
    static func utcNow() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let millis = String(now.tv_nsec / 1_000_000)
        let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text + "." + String(repeating: "0", count: 3 - millis.count) + millis + "Z"
    }

    /// syslog priorities, as sd-daemon(3) reads them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Values with spaces are quoted so a line stays machine-readable.
    static func quote(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value
    }
}
