/// How the reference platform runs, and how it misbehaves when a test or the demo asks it to.
public struct PlatformSettings: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; the port is printed as `listening on HOST:PORT`.
    public var port = 8080
    /// Where accepted events, certificates and capture jobs are kept.
    public var databasePath: String
    /// Serve HTTPS with this certificate chain and key (PEM).
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// Require a client certificate issued by one of these CAs (PEM); needs TLS.
    public var clientCAFile: String?
    /// Require `Authorization: Bearer <token>` with the token in this file.
    public var tokenFile: String?
    /// `GS1-EPCIS-Capture-Limit` (events per capture) and `…-File-Size-Limit` (bytes).
    public var captureLimit = 500
    public var fileSizeLimit = 16 * 1024 * 1024
    /// Open connections at most; more are closed at once.
    public var maxConnections = 256
    /// A connection with no traffic for this long is closed (headers that never finish too).
    public var idleTimeoutSeconds = 60
    /// A request must arrive whole (head and body) within this long of the connection being
    /// ready for it, however steadily it trickles in.
    public var requestTimeoutSeconds = 120
    /// Advertise the limits on `OPTIONS /capture`; without, clients learn them from 413s.
    public var advertiseLimits = true
    /// Capture jobs report `running` for this long before they finish.
    public var jobDelayMilliseconds = 0
    /// Added to every answer.
    public var latencyMilliseconds = 0
    /// The first `faultCount` POSTs get these faults in turn: `503` (with Retry-After: 1),
    /// `500`, `timeout` (stores, then answers after `timeoutSeconds`), `reset` (stores, then
    /// drops the connection mid-answer).
    public var faults: [Fault] = []
    public var faultCount = 0
    public var timeoutSeconds = 30
    /// After the scheduled faults, this share of POSTs gets a random one of `faults` (or 503).
    public var errorRate = 0.0
    /// Answer every POST with this status and a problem document (400, 403, …).
    public var rejectStatus: Int?

    public enum Fault: String, Sendable, CaseIterable {
        case unavailable = "503"
        case serverError = "500"
        case timeout
        case reset
    }

    public init(databasePath: String) {
        self.databasePath = databasePath
    }
}
