import ArgumentParser
import Foundation
import Logging
import SawahPlatform

/// `sawah-platform`: the reference trade platform for tests and the demo.
public struct SawahPlatformCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sawah-platform",
        abstract: "A reference trade platform: EPCIS 2.0 capture and a credentials endpoint that verifies Sawah certificates.")

    public init() {}

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one; printed as `listening on HOST:PORT`).") var port = 8080
    @Option(help: "SQLite file for what the platform accepts.") var database: String
    @Option(help: "Serve HTTPS with this certificate chain (PEM).") var tlsCert: String?
    @Option(help: "Key of --tls-cert (PEM).") var tlsKey: String?
    @Option(help: "Require client certificates issued by these CAs (PEM); needs --tls-cert.") var clientCa: String?
    @Option(help: "Require `Authorization: Bearer` with the token in this file.") var tokenFile: String?
    @Option(help: "GS1-EPCIS-Capture-Limit: events per capture.") var captureLimit = 500
    @Option(help: "GS1-EPCIS-Capture-File-Size-Limit: bytes per request.") var fileSizeLimit = 16 * 1024 * 1024
    @Flag(help: "Leave the limits out of OPTIONS /capture (clients learn them from 413 answers).") var hideLimits = false
    @Option(help: "Open connections at most; more are closed at once.") var maxConnections = 256
    @Option(help: "Close a connection idle this long, a header or body that stops arriving included (s).") var idleTimeout = 60
    @Option(help: "Close a connection whose request has not arrived whole this long after it could start (s).") var requestTimeout = 120
    @Option(help: "Capture jobs stay `running` this long (ms).") var jobDelayMs = 0
    @Option(help: "Delay added to every answer (ms).") var latencyMs = 0
    @Option(help: "Faults for the first --fault-count POSTs, in turn: 503, 500, timeout, reset (comma-separated).") var faults = ""
    @Option(help: "How many POSTs get the scheduled faults.") var faultCount = 0
    @Option(help: "How long a `timeout` fault holds its answer (s).") var timeoutSeconds = 30
    @Option(help: "Share of later POSTs that get a random fault (0…1).") var errorRate = 0.0
    @Option(help: "Answer every POST with this status and a problem document.") var rejectStatus: Int?

    public func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if clientCa != nil && tlsCert == nil { throw ValidationError("--client-ca needs --tls-cert and --tls-key") }
        if idleTimeout < 1 || requestTimeout < 1 { throw ValidationError("--idle-timeout and --request-timeout must be at least 1 s") }
        if !(0...1).contains(errorRate) { throw ValidationError("--error-rate must be between 0 and 1") }
        for name in faults.split(separator: ",") where PlatformSettings.Fault(rawValue: String(name)) == nil {
            throw ValidationError("--faults: unknown fault \"\(name)\" (expected 503, 500, timeout, reset)")
        }
    }

    public func run() async throws {
        var settings = PlatformSettings(databasePath: database)
        settings.host = host
        settings.port = port
        settings.tlsCertificateFile = tlsCert
        settings.tlsKeyFile = tlsKey
        settings.clientCAFile = clientCa
        settings.tokenFile = tokenFile
        settings.captureLimit = captureLimit
        settings.fileSizeLimit = fileSizeLimit
        settings.maxConnections = maxConnections
        settings.idleTimeoutSeconds = idleTimeout
        settings.requestTimeoutSeconds = requestTimeout
        settings.advertiseLimits = !hideLimits
        settings.jobDelayMilliseconds = jobDelayMs
        settings.latencyMilliseconds = latencyMs
        settings.faults = faults.split(separator: ",").compactMap { PlatformSettings.Fault(rawValue: String($0)) }
        settings.faultCount = faultCount
        settings.timeoutSeconds = timeoutSeconds
        settings.errorRate = errorRate
        settings.rejectStatus = rejectStatus
        var logger = Logger(label: "sawah-platform")
        logger.logLevel = .notice
        let platform = try ReferencePlatform(settings: settings, logger: logger)
        let scheme = tlsCert == nil ? "http" : "https"
        let host = host
        try await platform.run { port in
            // Unbuffered, so a parent process reading our output sees the port at once.
            FileHandle.standardOutput.write(Data("listening on \(scheme)://\(host):\(port)\n".utf8))
        }
    }
}
