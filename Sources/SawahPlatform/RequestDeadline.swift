import NIOCore
import NIOHTTPTypes
import Synchronization

/// Closes a connection whose request has not arrived whole within `timeout` of the connection
/// being ready for it (opened, or its previous answer sent). The idle timeout alone cannot do
/// this: a client that trickles one byte a minute is never idle, and would hold a connection,
/// and the request's task, for as long as it likes.
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How many connections were closed for a late request, shared by every connection's handler.
    final class Counter: Sendable {
        let expired = Atomic<Int>(0)
    }

    private let timeout: TimeAmount
    private let counter: Counter
    private var timer: Scheduled<Void>?
    // Between a request's head and its end; an answer sent before the body finished (a 401, a
    // 413) must not restart the clock for the rest of that body.
    private var reading = false

    init(timeout: TimeAmount, counter: Counter) {
        self.timeout = timeout
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { arm(context) }
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: reading = true
        case .end:
            reading = false
            timer?.cancel()
            timer = nil
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), !reading { arm(context) }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let counter = counter
        timer = context.eventLoop.scheduleTask(in: timeout) {
            counter.expired.wrappingAdd(1, ordering: .relaxed)
            loopBound.value.close(promise: nil)
        }
    }
}
