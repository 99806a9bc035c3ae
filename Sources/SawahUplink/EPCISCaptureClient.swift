import Foundation
import NIOHTTP1
import SawahCore
import Synchronization

/// Delivers EPCIS events through the EPCIS 2.0 REST capture interface: discovers the
/// platform's limits with `OPTIONS /capture`, posts captures that fit them (halving on 413),
/// follows each capture job to its end, and asks `GET /events/{eventID}` about events a job
/// did not take, because an event the platform already has counts as delivered.
final class EPCISCaptureClient: Sendable {
    let transport: PlatformTransport
    private let limits = Mutex<CaptureLimits?>(nil)
    private let pollTimeoutSeconds: Double

    init(transport: PlatformTransport, pollTimeoutSeconds: Double = 300) {
        self.transport = transport
        self.pollTimeoutSeconds = pollTimeoutSeconds
    }

    var base: String { transport.platform.url }

    /// The limits in force: discovered once, then lowered by 413 answers.
    func currentLimits() async throws -> CaptureLimits {
        if let known = limits.withLock({ $0 }) { return known }
        let response = try await transport.send(.OPTIONS, base + "/capture")
        var found = CaptureLimits()
        if (200..<300).contains(response.status) {
            found.events = response.headers.first(name: "GS1-EPCIS-Capture-Limit").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap {
                $0 > 0 ? $0 : nil
            }
            found.bytes = response.headers.first(name: "GS1-EPCIS-Capture-File-Size-Limit").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap {
                $0 > 0 ? $0 : nil
            }
        } else if response.status >= 500 || response.status == 429 {
            throw TransportFailure(url: base + "/capture", detail: ProblemDetails.summary(status: response.status, body: response.body) + " to OPTIONS")
        }
        // A platform without discovery (404/405) is taken to have no limits; 413s will teach us.
        limits.withLock { $0 = found }
        return found
    }

    /// Delivers the items' events; every item gets an outcome.
    func deliver(_ items: [CaptureItem]) async -> [Int64: DeliveryOutcome] {
        let known: CaptureLimits
        do {
            known = try await currentLimits()
        } catch {
            return Self.all(items, .retry(reason: "capture discovery: \(error)", after: nil))
        }
        var outcomes: [Int64: DeliveryOutcome] = [:]
        for chunk in known.chunk(items) {
            outcomes.merge(await capture(chunk), uniquingKeysWith: { $1 })
        }
        return outcomes
    }

    static func all(_ items: [CaptureItem], _ outcome: DeliveryOutcome) -> [Int64: DeliveryOutcome] {
        Dictionary(uniqueKeysWithValues: items.map { ($0.batch, outcome) })
    }

    /// One capture; a 413 or a 400 for several batches is split in halves, so one bad batch
    /// cannot hold back the rest.
    private func capture(_ chunk: [CaptureItem]) async -> [Int64: DeliveryOutcome] {
        let document = CaptureItem.document(for: chunk)
        let response: PlatformResponse
        do {
            response = try await transport.send(
                .POST, base + "/capture", body: document, contentType: "application/ld+json",
                headers: [("GS1-Capture-Error-Behaviour", "proceed"), ("GS1-EPCIS-Version", "2.0.0")])
        } catch {
            return Self.all(chunk, .retry(reason: "\(error)", after: nil))
        }
        let summary = { ProblemDetails.summary(status: response.status, body: response.body) }
        switch response.status {
        case 202, 200, 201:
            return await follow(job: response.headers.first(name: "Location"), chunk: chunk)
        case 413:
            let events = chunk.reduce(0) { $0 + $1.eventCount }
            limits.withLock { known in
                guard var lowered = known else { return }
                lowered.events = max(1, min(lowered.events ?? events, events / 2))
                lowered.bytes = min(lowered.bytes ?? document.count, max(1_024, document.count / 2))
                known = lowered
            }
            if chunk.count > 1 { return await split(chunk) }
            return Self.all(chunk, .dead(reason: summary() + " for a single batch of \(document.count) bytes"))
        case 400 where chunk.count > 1, 422 where chunk.count > 1:
            return await split(chunk)
        case 408, 425, 429, 500...599:
            return Self.all(chunk, .retry(reason: summary(), after: response.retryAfter))
        default:
            return Self.all(chunk, .dead(reason: summary()))
        }
    }

    private func split(_ chunk: [CaptureItem]) async -> [Int64: DeliveryOutcome] {
        let middle = chunk.count / 2
        var outcomes = await capture(Array(chunk[..<middle]))
        outcomes.merge(await capture(Array(chunk[middle...])), uniquingKeysWith: { $1 })
        return outcomes
    }

    /// Polls the capture job until it ends. A successful job delivers the chunk; a failed one
    /// delivers the batches whose events the platform now has and kills the others with the
    /// job's errors.
    private func follow(job location: String?, chunk: [CaptureItem]) async -> [Int64: DeliveryOutcome] {
        guard let location else { return Self.all(chunk, .delivered(note: "accepted (no capture job given)")) }
        guard let url = resolve(location) else {
            // The gateway's credentials go to the platform's own origin only.
            return Self.all(chunk, .dead(reason: "the platform's capture job Location \(location) is not on its own origin (\(base)); not followed"))
        }
        let deadline = Date().addingTimeInterval(pollTimeoutSeconds)
        var pause = 0.02
        while true {
            let response: PlatformResponse
            do {
                response = try await transport.send(.GET, url)
            } catch {
                return Self.all(chunk, .retry(reason: "capture job \(url): \(error)", after: nil))
            }
            guard response.status == 200, let job = try? JSONValue.parse(response.body) else {
                return Self.all(
                    chunk,
                    .retry(reason: "capture job \(url): " + ProblemDetails.summary(status: response.status, body: response.body), after: response.retryAfter))
            }
            let running = job.value(at: "running") == .bool(true)
            if !running {
                if job.value(at: "success") == .bool(true) { return Self.all(chunk, .delivered(note: nil)) }
                return await settleFailedJob(job, chunk: chunk)
            }
            if Date() > deadline { return Self.all(chunk, .retry(reason: "capture job \(url) still running after \(Int(pollTimeoutSeconds)) s", after: nil)) }
            try? await Task.sleep(for: .seconds(pause))
            pause = min(pause * 2, 2)
        }
    }

    private func settleFailedJob(_ job: JSONValue, chunk: [CaptureItem]) async -> [Int64: DeliveryOutcome] {
        var reasons: [String] = []
        if case .array(let errors)? = job.value(at: "errors") {
            reasons = errors.prefix(3).map(ProblemDetails.text)
        }
        let reason = "capture job failed: " + (reasons.isEmpty ? "no errors given" : reasons.joined(separator: "; "))
        // Look the events up several at a time: after a resend most of a large capture is
        // usually already there, and one round trip each would take minutes on a slow link.
        let lookups = await withTaskGroup(of: (String, EventLookup).self) { group in
            var results: [String: EventLookup] = [:]
            var pending = chunk.flatMap(\.eventIDs)[...]
            let width = min(16, max(4, transport.platform.concurrency * 4))
            func launch() {
                guard let id = pending.popFirst() else { return }
                group.addTask { (id, await self.lookUp(id)) }
            }
            for _ in 0..<width { launch() }
            while let (id, result) = await group.next() {
                results[id] = result
                launch()
            }
            return results
        }
        var outcomes: [Int64: DeliveryOutcome] = [:]
        for item in chunk {
            let results = item.eventIDs.map { lookups[$0] ?? .missing }
            if let failure = results.first(where: { if case .unknown = $0 { true } else { false } }), case .unknown(let why) = failure {
                outcomes[item.batch] = .retry(reason: reason + "; " + why, after: nil)
            } else if results.allSatisfy({ if case .present = $0 { true } else { false } }) {
                outcomes[item.batch] = .delivered(note: "the platform already had its events")
            } else {
                outcomes[item.batch] = .dead(reason: reason)
            }
        }
        return outcomes
    }

    enum EventLookup: Sendable {
        case present
        case missing
        case unknown(String)
    }

    /// `GET /events/{eventID}`: 200 has it, 404 has not, anything else cannot tell.
    private func lookUp(_ id: String) async -> EventLookup {
        let path = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/;"))) ?? id
        do {
            let response = try await transport.send(.GET, base + "/events/" + path)
            switch response.status {
            case 200: return .present
            case 404: return .missing
            default: return .unknown("looking up \(id): HTTP \(response.status)")
            }
        } catch {
            return .unknown("looking up \(id): \(error)")
        }
    }

    /// A job's `Location` may be absolute, absolute-path, or relative to the capture URL; nil
    /// when it leads off the platform's origin (another scheme, host or port): following it
    /// would send the gateway's token or client certificate to somebody else.
    func resolve(_ location: String) -> String? {
        let lowered = location.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let target = URL(string: location), let own = URL(string: base),
                target.scheme?.lowercased() == own.scheme?.lowercased(), target.host?.lowercased() == own.host?.lowercased(),
                Self.port(target) == Self.port(own)
            else { return nil }
            return location
        }
        guard !location.hasPrefix("//"), !location.contains("\\") else { return nil }
        guard location.hasPrefix("/"), let url = URL(string: base), let scheme = url.scheme, let host = url.host else {
            return base + "/capture/" + location
        }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")\(location)"
    }

    private static func port(_ url: URL) -> Int? {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil)
    }
}
