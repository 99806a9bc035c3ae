import HTTPTypes
import Hummingbird
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
        var headers = HTTPFields()
        for (name, value) in page.headers { headers[HTTPField.Name(name)!] = value }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: page.html)))
    }
}
