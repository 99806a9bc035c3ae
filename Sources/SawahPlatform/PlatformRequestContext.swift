import Hummingbird
import NIOCore
import NIOSSL

/// The platform's request context: Hummingbird's, plus the connection, whose TLS handler knows
/// the client certificate a mutual-TLS client presented.
struct PlatformRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The certificate the client authenticated with, nil over plain HTTP or without mutual TLS.
    /// Read on the connection's event loop: NIOSSLHandler's state is not thread-safe.
    func clientCertificate() async -> NIOSSLCertificate? {
        let channel = channel
        return try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLHandler.self).peerCertificate
        }.get()
    }
}
