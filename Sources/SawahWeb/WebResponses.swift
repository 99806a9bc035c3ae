import HTTPTypes
import Hummingbird
import Logging
import SawahCore
import SawahPages
import SawahTraceability

/// Responses of the status page's server: JSON for the API, the page itself.
enum WebResponses {
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: JSONText.serialize(value))))
    }

    static func page(_ page: Page) -> Response {
        Response(status: .ok, headers: page.headers, body: .init(byteBuffer: ByteBuffer(bytes: page.html)))
    }

    /// The journal could not be read: 503 with the reason (the page shows it), and a log line.
    static func unreadableJournal(_ error: any Error, config: GatewayConfiguration, logger: Logger) -> Response {
        logger.error("status page: cannot read the journal", metadata: ["journal": "\(config.journalPath)", "error": "\(error)"])
        return json(.serviceUnavailable, .object(["error": .string("cannot read the journal \(config.journalPath): \(error)")]))
    }
}
