import SawahCore

/// Writes a `JSONValue` as compact JSON with object members sorted by key, so the same
/// document always serialises to the same bytes (its digest is part of a signed credential).
/// Numbers use the event hash's number form: shortest round-trip, integers without `.0`.
public enum JSONText {
    public static func serialize(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += number.isFinite ? HashNumberFormat.format(number) : "null"
        case .string(let text): out += CompactJWS.jsonString(text)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                if index > 0 { out += "," }
                out += CompactJWS.jsonString(key) + ":"
                write(members[key]!, into: &out)
            }
            out += "}"
        }
    }
}
