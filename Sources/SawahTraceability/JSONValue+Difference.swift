import SawahCore

extension JSONValue {
    /// The first place where `expected` and `actual` differ, as "path: expected X, found Y".
    public static func firstDifference(_ expected: JSONValue, _ actual: JSONValue, path: String) -> String? {
        switch (expected, actual) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let difference = firstDifference(a[key] ?? .null, b[key] ?? .null, path: child) { return difference }
            }
            return nil
        case (.array(let a), .array(let b)):
            for index in 0..<min(a.count, b.count) {
                if let difference = firstDifference(a[index], b[index], path: "\(path)[\(index)]") { return difference }
            }
            return a.count == b.count ? nil : "\(path): \(a.count) entries, found \(b.count)"
        default:
            return expected == actual ? nil : "\(path): \(JSONText.serialize(expected)), found \(JSONText.serialize(actual))"
        }
    }
}
