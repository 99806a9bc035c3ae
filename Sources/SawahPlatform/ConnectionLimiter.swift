import NIOCore
import Synchronization

/// Caps the platform's open connections: one more than `limit` is closed as soon as it is set
/// up, so a client opening sockets by the thousand cannot take every file descriptor (and with
/// them the service) from the gateways.
final class ConnectionLimiter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    /// The count shared by every connection's limiter.
    final class Counter: Sendable {
        let open = Atomic<Int>(0)
        let refused = Atomic<Int>(0)
        let limit: Int
        init(limit: Int) { self.limit = limit }
    }

    private let counter: Counter
    // Whether this connection holds one of the counted places; only touched on the channel's
    // event loop (handlerAdded/handlerRemoved), but kept atomic so the class is Sendable.
    private let counted = Atomic<Bool>(false)

    init(counter: Counter) { self.counter = counter }

    func handlerAdded(context: ChannelHandlerContext) {
        let now = counter.open.wrappingAdd(1, ordering: .relaxed).newValue
        counted.store(true, ordering: .relaxed)
        if now > counter.limit {
            counter.refused.wrappingAdd(1, ordering: .relaxed)
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted.exchange(false, ordering: .relaxed) { counter.open.wrappingSubtract(1, ordering: .relaxed) }
    }
}
