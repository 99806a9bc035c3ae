import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Synchronization

/// Makes POSTs misbehave as `PlatformSettings` asks: the first `faultCount` in turn, then a
/// share at random. `timeout` and `reset` let the request be stored first, the nastiest case
/// for a client: the platform has the data but the client never hears so.
struct FaultInjector<Context: RequestContext>: RouterMiddleware {
    let settings: PlatformSettings
    let store: PlatformStore
    let served = RequestCounter()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if settings.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(settings.latencyMilliseconds)) }
        guard request.method == .post else { return try await next(request, context) }
        if let status = settings.rejectStatus {
            store.bump("rejected_by_setting")
            return Problem.response(
                .init(code: status), type: "epcisException:ValidationException", title: "Refused by the platform",
                detail: "this platform was started with --reject-status \(status)")
        }
        guard let fault = pick() else { return try await next(request, context) }
        store.bump("fault_" + fault.rawValue)
        switch fault {
        case .unavailable:
            return Problem.response(
                .serviceUnavailable, type: "epcisException:ImplementationException", title: "Service unavailable",
                detail: "simulated outage", headers: [.retryAfter: "1"])
        case .serverError:
            return Problem.response(.internalServerError, type: "epcisException:ImplementationException", title: "Internal error", detail: "simulated failure")
        case .timeout:
            let response = try await next(request, context)
            try await Task.sleep(for: .seconds(settings.timeoutSeconds))
            return response
        case .reset:
            _ = try await next(request, context)
            // Head sent, then the body fails: the server closes the connection mid-answer.
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{\"partial\":"))
                    throw SimulatedReset()
                })
        }
    }

    private func pick() -> PlatformSettings.Fault? {
        let number = served.next()
        if number <= settings.faultCount, !settings.faults.isEmpty {
            return settings.faults[(number - 1) % settings.faults.count]
        }
        if settings.errorRate > 0, Double.random(in: 0..<1) < settings.errorRate {
            return settings.faults.randomElement() ?? .unavailable
        }
        return nil
    }
}

struct SimulatedReset: Error {}

/// Counts POSTs across requests (a class, so the middleware struct stays copyable).
final class RequestCounter: Sendable {
    private let count = Mutex(0)

    func next() -> Int {
        count.withLock { value in
            value += 1
            return value
        }
    }
}
