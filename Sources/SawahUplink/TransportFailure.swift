/// The request never got an HTTP answer (refused, reset, timed out, TLS failed).
struct TransportFailure: Error, CustomStringConvertible {
    var url: String
    var detail: String
    var description: String { "\(detail) (\(url))" }
}
