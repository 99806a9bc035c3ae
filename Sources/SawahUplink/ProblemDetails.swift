import Foundation
import SawahCore

/// A platform's error answer, made readable for `sawah status`: an RFC 7807 problem document
/// as "title: detail (type)", any other body as its first 300 characters.
enum ProblemDetails {
    static func summary(status: Int, body: [UInt8]) -> String {
        if let json = try? JSONValue.parse(body), case .object = json {
            return "HTTP \(status): " + text(json)
        }
        let snippet = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return "HTTP \(status)" + (snippet.isEmpty ? "" : ": " + snippet)
    }

    /// "title: detail (type)" of one problem document.
    static func text(_ json: JSONValue) -> String {
        var parts: [String] = []
        if case .string(let title)? = json.value(at: "title") { parts.append(title) }
        if case .string(let detail)? = json.value(at: "detail") { parts.append(detail) }
        var text = parts.isEmpty ? "no title or detail" : parts.joined(separator: ": ")
        if case .string(let type)? = json.value(at: "type") { text += " (\(type))" }
        return text
    }
}
