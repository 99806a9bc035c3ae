import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SawahCore

/// An HTTP response, read whole (platform answers are small).
struct PlatformResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var retryAfter: Double? { headers.first(name: "Retry-After").flatMap { RetryPolicy.parseRetryAfter($0) } }
}

/// One platform's HTTP client: TLS verified against the configured CA bundle (or the system's),
/// the gateway's key and certificate for mTLS, the API credential, gzip, timeouts, a cap on
/// parallel connections and an optional bandwidth cap.
final class PlatformTransport: Sendable {
    let platform: PlatformConfiguration
    private let client: HTTPClient
    private let authorization: (name: String, value: String)?
    private let limiter: BandwidthLimiter?

    /// What a platform's settings load from files: the TLS configuration (CA bundle, the
    /// gateway's key and chain for mTLS) and the credential header. Checking a config is
    /// loading these; no client is made for it.
    struct Settings {
        var tls: TLSConfiguration
        var authorization: (name: String, value: String)?

        /// `identityKeyFile` is the gateway's key; its chain is beside it (`sawah identity install-cert`).
        init(_ platform: PlatformConfiguration, identityKeyFile: String?) throws(UplinkSetupError) {
            tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            if let caFile = platform.caFile {
                guard FileManager.default.isReadableFile(atPath: caFile) else { throw .init(platform: platform.id, problem: "cannot read ca_file \(caFile)") }
                tls.trustRoots = .file(caFile)
            }
            if platform.clientCertificate {
                guard let keyFile = identityKeyFile else { throw .init(platform: platform.id, problem: "client_certificate needs [traceability] identity_key") }
                let chainFile = keyFile + ".chain.pem"
                do {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMFile(chainFile).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
                } catch {
                    throw .init(
                        platform: platform.id,
                        problem:
                            "client_certificate: cannot load the gateway's key \(keyFile) and chain \(chainFile) (run `sawah identity install-cert`): \(error)")
                }
            }
            switch platform.authentication {
            case .bearer(let file)?:
                authorization = ("Authorization", "Bearer " + (try PlatformTransport.secret(file, platform: platform.id)))
            case .apiKey(let header, let file)?:
                authorization = (header, try PlatformTransport.secret(file, platform: platform.id))
            case nil:
                authorization = nil
            }
        }
    }

    init(platform: PlatformConfiguration, identityKeyFile: String?, eventLoopGroup: any EventLoopGroup) throws(UplinkSetupError) {
        self.platform = platform
        let settings = try Settings(platform, identityKeyFile: identityKeyFile)
        authorization = settings.authorization
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: settings.tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(platform.connectTimeoutSeconds)), read: .seconds(Int64(platform.requestTimeoutSeconds))),
            decompression: .enabled(limit: .ratio(50)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: platform.concurrency)
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        limiter = platform.maxBytesPerSecond.map(BandwidthLimiter.init(bytesPerSecond:))
    }

    private static func secret(_ file: String, platform: String) throws(UplinkSetupError) -> String {
        if let exposure = SecretFile.exposure(file) { throw .init(platform: platform, problem: exposure) }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw .init(platform: platform, problem: "cannot read the credential file \(file)")
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty, !secret.contains("\n") else { throw .init(platform: platform, problem: "\(file) must hold one line: the token or key") }
        return secret
    }

    /// Sends one request. Network failures throw `TransportFailure` (always worth a retry).
    func send(
        _ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> PlatformResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "sawah-gateway")
        request.headers.add(name: "Accept", value: "application/json, application/problem+json")
        if let authorization { request.headers.add(name: authorization.name, value: authorization.value) }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if var body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            if platform.gzip {
                var buffer = ByteBuffer(bytes: body)
                body = Array(buffer: try buffer.compress(with: .gzip()))
                request.headers.add(name: "Content-Encoding", value: "gzip")
            }
            try await limiter?.reserve(bytes: body.count)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(platform.requestTimeoutSeconds)))
            let collected = try await response.body.collect(upTo: 4 << 20)
            return PlatformResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: collected))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw TransportFailure(url: url, detail: Self.describe(error))
        }
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Names the failure as an operator reads it: timeouts, resets and TLS trust problems.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "request timed out"
            case .connectTimeout: return "connect timed out"
            case .remoteConnectionClosed: return "the platform closed the connection"
            default: return "\(error)"
            }
        }
        if let error = error as? NIOSSLError { return "TLS: \(error)" }
        if let error = error as? IOError { return "network: \(error.description)" }
        return "\(error)"
    }
}
