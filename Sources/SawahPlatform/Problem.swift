import HTTPTypes
import Hummingbird
import HummingbirdCore
import SawahCore
import SawahTraceability

/// RFC 7807 problem documents, as the EPCIS 2.0 REST bindings answer errors.
enum Problem {
    static func response(_ status: HTTPResponse.Status, type: String, title: String, detail: String, headers: HTTPFields = [:]) -> Response {
        let body: JSONValue = .object([
            "type": .string(type), "title": .string(title), "status": .number(Double(status.code)), "detail": .string(detail)
        ])
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: JSONText.serialize(body))))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: JSONText.serialize(value))))
    }

    /// The entry of a capture job's `errors` list.
    static func entry(type: String, title: String, detail: String) -> JSONValue {
        .object(["type": .string(type), "title": .string(title), "status": .number(400), "detail": .string(detail)])
    }
}
