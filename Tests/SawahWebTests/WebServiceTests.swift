import Foundation
import Logging
import ServiceLifecycle
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahWeb

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `sawah web` over a real port and a real journal: the API returns what the journal holds,
/// refuses a request without the configured token, and offers nothing that changes state.
@Suite(.serialized) struct WebServiceTests {
    static func config(in directory: TemporaryDirectory, token: String?, extra: String = "") throws -> GatewayConfiguration {
        var web = "[web]\nport = 1\n"
        if let token {
            try directory.write(token + "\n", to: "web.token")
            chmod(directory.file("web.token"), 0o600)
            web += "token_file = \"web.token\"\n"
        }
        try directory.write(
            """
            [gateway]
            id = "web-gw"
            data_dir = "data"
            devices_dir = "\(ProjectPaths.root)/devices"
            [[sensors]]
            id = "probe"
            profile = "ds18b20"
            topic = "farm/probe"
            \(web)\(extra)
            """, to: "sawah.toml")
        var config = try GatewayConfiguration.load(path: directory.file("sawah.toml"))
        config.web.port = 0
        return config
    }

    /// Runs the service on an ephemeral port for `body`.
    static func serving(_ config: GatewayConfiguration, _ body: @Sendable (Int) async throws -> Void) async throws {
        let port = AsyncStream.makeStream(of: Int.self)
        let service = try WebService(config: config, logger: Logger(label: "test")) { port.continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = port.stream.makeAsyncIterator()
            let bound = try #require(await iterator.next())
            defer { Task { await group.triggerGracefulShutdown() } }
            try await body(bound)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func get(_ port: Int, _ path: String, token: String? = nil, method: String = "GET") async throws -> (Int, String, [AnyHashable: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.allHeaderFields)
    }

    static func fill(_ config: GatewayConfiguration, readings: Int) throws {
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let journal = try Journal(path: config.journalPath, durability: .process)
        let now = Clock.nowMilliseconds()
        var batch = IngestBatch()
        batch.readings = (0..<readings).map { index in
            let time = now - Int64(readings - index) * 60_000
            return Reading(
                sensor: "probe", quantity: "soil_temperature", value: 20 + Double(index % 7), unit: "CEL", observedAt: time, receivedAt: time,
                source: "farm/probe")
        }
        batch.quarantine = [QuarantineRecord(source: "farm/probe", payload: Array("{oops".utf8), reason: "not JSON: unexpected end", receivedAt: now)]
        try journal.append(batch)
    }

    @Test func theAPIShowsWhatTheJournalHolds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try Self.config(in: directory, token: nil)
        try Self.fill(config, readings: 600)
        try await Self.serving(config) { port in
            let (status, body, _) = try await Self.get(port, "/api/status")
            #expect(status == 200, "\(body)")
            let json = try JSONValue.parse(Array(body.utf8))
            #expect(json.value(at: "gateway") == .string("web-gw"))
            #expect(json.value(at: "journal.readings") == .number(600))
            #expect(json.value(at: "quarantine").map { if case .array(let items) = $0 { items.count } else { 0 } } == 1)
            guard case .array(let latest)? = json.value(at: "latest") else {
                Issue.record("no latest")
                return
            }
            #expect(latest.first?.value(at: "value") == .number(20 + Double(599 % 7)))
            let (seriesStatus, seriesBody, _) = try await Self.get(port, "/api/series?range=24h")
            #expect(seriesStatus == 200)
            let series = try JSONValue.parse(Array(seriesBody.utf8))
            guard case .array(let buckets)? = series.value(at: "series")?.firstElement?.value(at: "buckets") else {
                Issue.record("no buckets: \(seriesBody)")
                return
            }
            // 600 readings a minute apart: 10 hours, 5-minute buckets; every reading counted once.
            #expect((120...121).contains(buckets.count), "\(buckets.count) buckets")
            let counted = buckets.reduce(0.0) { total, bucket in if case .array(let b) = bucket, case .number(let n) = b[4] { total + n } else { total } }
            #expect(counted == 600)
            #expect(try await Self.get(port, "/api/series?range=1y").0 == 400)
            let (pageStatus, page, headers) = try await Self.get(port, "/")
            #expect(pageStatus == 200 && page.contains("Sawah gateway status"))
            #expect((headers["Content-Security-Policy"] as? String)?.contains("connect-src 'self'") == true)
        }
    }

    @Test func aJournalThatCannotBeReadIsA503NamingIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try Self.config(in: directory, token: nil)
        try await Self.serving(config) { port in
            for path in ["/api/status", "/api/series?range=7d"] {
                let (status, body, _) = try await Self.get(port, path)
                #expect(status == 503, "\(path): \(status)")
                #expect(body.contains("cannot read the journal \(config.journalPath)"), "\(body)")
            }
        }
    }

    @Test func aConfiguredTokenIsRequiredForTheAPIAndNothingChangesState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let token = "f3a9c27d41e6b8a05d2c7e91b4f6a830"
        let config = try Self.config(in: directory, token: token)
        try Self.fill(config, readings: 10)
        try await Self.serving(config) { port in
            #expect(try await Self.get(port, "/api/status").0 == 401)
            #expect(try await Self.get(port, "/api/status", token: "wrong-token-of-some-length").0 == 401)
            #expect(try await Self.get(port, "/api/series", token: token.uppercased()).0 == 401)
            #expect(try await Self.get(port, "/api/status", token: token).0 == 200)
            for path in ["//api/status", "/%61pi/status", "/api/../api/status", "/API/status", "/anything"] {
                #expect(try await Self.get(port, path).0 == 401, "\(path) without the token")
            }
            // The page itself holds no data: it loads, then asks for the token.
            #expect(try await Self.get(port, "/").0 == 200)
            for method in ["POST", "PUT", "DELETE"] {
                let status = try await Self.get(port, "/api/status", token: token, method: method).0
                #expect(status >= 400, "\(method) /api/status answered \(status)")
            }
        }
    }

    @Test func aLANAddressWithoutATokenAndAnExposedTokenAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("[gateway]\nid = \"g\"\ndata_dir = \"d\"\n[web]\naddress = \"0.0.0.0\"\n", to: "lan.toml")
        do {
            _ = try GatewayConfiguration.load(path: directory.file("lan.toml"))
            Issue.record("a LAN address without a token was accepted")
        } catch {
            #expect("\(error)".contains("[web] address") || "\(error)".contains("web.address"), "\(error)")
            #expect("\(error)".contains("token_file"), "\(error)")
        }
        try directory.write("short\n", to: "short.token")
        chmod(directory.file("short.token"), 0o600)
        #expect(throws: WebTokenError.self) { try WebToken.load(path: directory.file("short.token")) }
        try directory.write("a-long-enough-token-0123456789\n", to: "open.token")
        chmod(directory.file("open.token"), 0o644)
        do {
            _ = try WebToken.load(path: directory.file("open.token"))
            Issue.record("a world-readable token was accepted")
        } catch {
            #expect(error.description.contains("mode 0644"), "\(error)")
        }
    }

    @Test func theTokenComparisonAdmitsOnlyTheToken() {
        let token = WebToken(token: "0123456789abcdef0123")
        #expect(token.admits("Bearer 0123456789abcdef0123"))
        #expect(!token.admits("Bearer 0123456789abcdef012"))
        #expect(!token.admits("bearer 0123456789abcdef0123"))
        #expect(!token.admits("0123456789abcdef0123"))
        #expect(!token.admits(nil))
    }
}

extension JSONValue {
    fileprivate var firstElement: JSONValue? { if case .array(let items) = self { items.first } else { nil } }
}
