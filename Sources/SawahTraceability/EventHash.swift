import Crypto
import FoundationEssentials
import SawahCore

/// The canonical EPCIS event hash of CBV 2.0 (`ni:///sha-256;…?ver=CBV2.0`), which Sawah uses
/// as every event's `eventID`, so a platform can recompute it and a retry can never become a
/// second event.
///
/// The pre-hash string concatenates the event's fields in the canonical property order
/// (`EventHashRule.eventOrder`) as `key=value`, with timestamps in UTC at millisecond
/// precision, numbers without trailing zeros, standard vocabulary and CURIEs expanded to URIs,
/// EPC URNs and Digital Links in constrained canonical form, list items sorted, and user
/// extensions as `{namespace}name=value`, sorted, at the end of their enclosing element.
public struct EventHash: Sendable {
    /// Prefix → namespace URI, from the document's `@context` plus the standard `gs1` and `cbv`.
    public let namespaces: [String: String]

    public init(context: JSONValue?) {
        var namespaces = ["gs1": EventHashRule.gs1Vocabulary, "cbv": EventHashRule.cbv]
        var entries: [JSONValue] = []
        if case .array(let items)? = context { entries = items } else if let context { entries = [context] }
        for case .object(let members) in entries {
            for (prefix, value) in members {
                if case .string(let uri) = value { namespaces[prefix] = uri }
            }
        }
        self.namespaces = namespaces
    }

    /// `ni:///sha-256;<hex>?ver=CBV2.0` for one event object.
    public func eventID(for event: JSONValue) -> String {
        let digest = SHA256.hash(data: Array(preHash(for: event).utf8))
        return "ni:///sha-256;" + digest.map { String(format: "%02x", $0) }.joined() + "?ver=CBV2.0"
    }

    /// The canonical pre-hash string of one event object.
    public func preHash(for event: JSONValue) -> String {
        guard case .object(let members) = event else { return "" }
        var out = ""
        if case .string(let type)? = members["type"] { out = "eventType=" + type }
        var known = EventHashRule.ignoredEventFields
        for (key, rule) in EventHashRule.eventOrder {
            known.insert(key)
            if let value = members[key] { out += render(key: key, value: value, rule: rule) }
        }
        out += extensions(members, excluding: known)
        return out
    }

    func render(key: String, value: JSONValue, rule: EventHashRule) -> String {
        switch rule {
        case .value(let vocabulary):
            if case .array(let items) = value {
                return sortedJoin(items.map { render(key: key, value: $0, rule: rule) })
            }
            guard let text = scalarText(value) else { return "" }
            let canonical = canonicalValue(key: key, text: text, vocabulary: vocabulary)
            return canonical.isEmpty ? "" : "\(key)=\(canonical)"
        case .list(let item, let itemRule):
            let items: [JSONValue]
            if case .array(let array) = value { items = array } else { items = [value] }
            let inner = sortedJoin(items.map { render(key: item, value: $0, rule: itemRule) })
            return inner.isEmpty ? "" : key + inner
        case .object(let fields, let extensible):
            if case .array(let items) = value {
                return sortedJoin(items.map { render(key: key, value: $0, rule: rule) })
            }
            guard case .object(let members) = value else { return "" }
            var inner = ""
            for (field, fieldRule) in fields {
                if let fieldValue = members[field] { inner += render(key: field, value: fieldValue, rule: fieldRule) }
            }
            if extensible { inner += extensions(members, excluding: Set(fields.map(\.0))) }
            return inner.isEmpty ? "" : key + inner
        case .typedList(let item, let typeVocabulary):
            guard case .array(let items) = value else { return "" }
            var inner = ""
            for case .object(let entry) in items {
                if let id = entry[item].flatMap(scalarText) { inner += "\(item)=\(canonicalValue(key: item, text: id, vocabulary: nil))" }
                if let type = entry["type"].flatMap(scalarText) { inner += "type=\(canonicalValue(key: "type", text: type, vocabulary: typeVocabulary))" }
            }
            return inner.isEmpty ? "" : key + inner
        }
    }

    /// User extensions: every member not in `excluding`, with its namespace spelled out.
    func extensions(_ members: [String: JSONValue], excluding known: Set<String>) -> String {
        var parts: [String] = []
        for (key, value) in members where !known.contains(key) && !key.hasPrefix("@") {
            parts.append(contentsOf: genericParts(key: expandedKey(key), value: value))
        }
        return sortedJoin(parts)
    }

    private func genericParts(key: String, value: JSONValue) -> [String] {
        switch value {
        case .array(let items):
            return items.flatMap { genericParts(key: key, value: $0) }
        case .object(let members):
            var children: [String] = []
            for (childKey, childValue) in members where !childKey.hasPrefix("@") {
                children.append(contentsOf: genericParts(key: expandedKey(childKey), value: childValue))
            }
            return [key + sortedJoin(children)]
        default:
            guard let text = scalarText(value) else { return [key] }
            let canonical = canonicalScalar(text.trimmingSpaces)
            return [canonical.isEmpty ? key : "\(key)=\(canonical)"]
        }
    }

    private func expandedKey(_ key: String) -> String {
        let parts = key.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let namespace = namespaces[String(parts[0])] else { return key }
        return "{\(namespace)}\(parts[1])"
    }

    private func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): HashNumberFormat.format(number)
        case .bool(let flag): flag ? "True" : "False"
        default: nil
        }
    }

    /// Value rules for a field with a known meaning: timestamps, vocabulary, identifiers.
    func canonicalValue(key: String, text raw: String, vocabulary: String?) -> String {
        let text = raw.trimmingSpaces
        let lower = key.lowercased()
        if lower.contains("time") && !lower.contains("offset") {
            return EPCISTimestamp.canonical(text) ?? text
        }
        if let vocabulary, !text.isEmpty, !text.contains(":") {
            return vocabulary + text
        }
        return canonicalScalar(text)
    }

    /// Rules every value gets: CURIEs, old CBV URNs, numbers, GS1 identifiers.
    func canonicalScalar(_ text: String) -> String {
        var value = text
        let parts = value.split(separator: ":", maxSplits: 1)
        if parts.count == 2, !parts[1].hasPrefix("//"), let namespace = namespaces[String(parts[0])] {
            value = namespace + parts[1]
        }
        for (urn, uri) in Self.cbvURNs where value.hasPrefix(urn) {
            value = uri + value.dropFirst(urn.count)
        }
        value = HashNumberFormat.formatIfNumeric(value)
        return DigitalLinkNormaliser.normalise(value) ?? value
    }

    static let cbvURNs: [(String, String)] = [
        ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
        ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
        ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
        ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
        ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-")
    ]

    /// Sorted by UTF-8 bytes (code points), as the algorithm requires, then concatenated.
    private func sortedJoin(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.joined()
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
