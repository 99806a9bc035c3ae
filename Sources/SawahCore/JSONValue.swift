import FoundationEssentials

/// A parsed JSON document, for payloads whose shape the device profile, not Swift types,
/// describes. Parsing follows RFC 8259 strictly (see `StrictJSONParser`): `NaN`, `Infinity`,
/// invalid UTF-8 and a member name given twice are errors, not values.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `bytes` strictly (RFC 8259, I-JSON: no duplicate member names, no trailing
    /// commas, valid UTF-8 and surrogates, finite numbers, at most 64 levels deep); the error
    /// text says what is wrong and at which byte.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = StrictJSONParser(bytes)
        return try parser.parseDocument()
    }

    /// Follows a dotted path (`StatusSNS.SHT3X.Temperature`, `items.0.value`); the empty path
    /// or `$` is the whole document.
    public func value(at path: String) -> JSONValue? {
        if path.isEmpty || path == "$" { return self }
        // The common case, a top-level field ("temperature"), on every value of every message:
        // looked up directly, without splitting the path into new strings.
        if !path.utf8.contains(UInt8(ascii: ".")) {
            guard case .object(let members) = self else {
                if case .array(let items) = self, let index = Int(path), items.indices.contains(index) { return items[index] }
                return nil
            }
            return members[path]
        }
        var current = self
        for component in path.split(separator: ".") {
            switch current {
            case .object(let members):
                guard let next = members[String(component)] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(component), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A short description of the kind of value, for error messages.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string(let text): "the string \"\(text.prefix(40))\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// The JSON text could not be parsed.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { "malformed JSON: \(message)" }
}
