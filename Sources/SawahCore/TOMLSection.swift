import TOMLKit

/// Typed, error-recording access to one TOML table. Each getter marks its key as known; at the
/// end `rejectUnknownKeys()` names any key nobody asked for, which catches typos such as
/// `prot = 1883` that would otherwise be ignored silently.
final class TOMLSection {
    let document: TOMLDocument
    let table: TOMLTable
    /// Dotted table path as written in headers (`mqtt`, `sensors.fields`).
    let path: String
    /// Position in an array of tables, when this is one of its entries.
    let index: Int?
    private var known: Set<String> = []

    init(document: TOMLDocument, table: TOMLTable, path: String, index: Int?) {
        self.document = document
        self.table = table
        self.path = path
        self.index = index
    }

    func fail(_ key: String?, _ problem: String) {
        document.record(problem, path: path, index: index, key: key)
    }

    private func value(_ key: String) -> TOMLValueConvertible? {
        known.insert(key)
        return table[key]
    }

    func has(_ key: String) -> Bool { table.contains(key: key) }

    /// True when the key holds a string (for keys that take a number or a name).
    func holdsString(_ key: String) -> Bool { table[key]?.string != nil }

    func string(_ key: String) -> String? {
        guard let raw = value(key) else { return nil }
        guard let text = raw.string else {
            fail(key, "expected a string, found \(raw.type)")
            return nil
        }
        return Self.refusingControls(text) { fail(key, $0) }
    }

    /// Config values end up in generated files (mosquitto.conf, ACLs, firmware YAML, systemd
    /// arguments) and in logs; a newline in one would add a line of the writer's choosing
    /// there. No setting needs a control character, so none is accepted.
    static func refusingControls(_ text: String, fail: (String) -> Void) -> String? {
        guard let control = text.unicodeScalars.first(where: ControlCharacters.isControl) else { return text }
        fail("contains the control character \(ControlCharacters.escaped(String(control))) (no setting may hold a newline or other control character)")
        return nil
    }

    func requiredString(_ key: String) -> String? {
        guard has(key) else {
            fail(key, "missing: this key is required")
            known.insert(key)
            return nil
        }
        return string(key)
    }

    func int(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard let raw = value(key) else { return nil }
        guard let number = raw.int else {
            fail(key, "expected an integer in \(range.lowerBound)…\(range.upperBound), found \(raw.type)")
            return nil
        }
        guard range.contains(number) else {
            fail(key, "expected an integer in \(range.lowerBound)…\(range.upperBound), found \(number)")
            return nil
        }
        return number
    }

    func double(_ key: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let raw = value(key) else { return nil }
        guard let number = raw.double ?? raw.int.map(Double.init) else {
            fail(key, "expected a number, found \(raw.type)")
            return nil
        }
        if let range, !range.contains(number) {
            fail(key, "expected a number in \(range.lowerBound)…\(range.upperBound), found \(number)")
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let raw = value(key) else { return nil }
        guard let flag = raw.bool else {
            fail(key, "expected true or false, found \(raw.type)")
            return nil
        }
        return flag
    }

    /// An array of strings.
    func strings(_ key: String) -> [String]? {
        guard let raw = value(key) else { return nil }
        guard let array = raw.array else {
            fail(key, "expected an array of strings, found \(raw.type)")
            return nil
        }
        var result: [String] = []
        for position in 0..<array.count {
            guard let text = array[position].string else {
                fail(key, "entry \(position + 1) is not a string")
                return nil
            }
            guard let clean = Self.refusingControls(text, fail: { fail(key, "entry \(position + 1) \($0)") }) else { return nil }
            result.append(clean)
        }
        return result
    }

    /// A string that must be one of `choices`.
    func choice(_ key: String, _ choices: [String]) -> String? {
        guard let text = string(key) else { return nil }
        guard choices.contains(text) else {
            fail(key, "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\"")
            return nil
        }
        return text
    }

    /// A sub-table (`[mqtt]` under the root, `[sensors.fields]` under a sensor).
    func section(_ key: String) -> TOMLSection? {
        guard let raw = value(key) else { return nil }
        guard let sub = raw.table else {
            fail(key, "expected a table, found \(raw.type)")
            return nil
        }
        let subPath = path.isEmpty ? key : "\(path).\(key)"
        return TOMLSection(document: document, table: sub, path: subPath, index: index)
    }

    /// An array of tables (`[[sensors]]`).
    func sections(_ key: String) -> [TOMLSection] {
        guard let raw = value(key) else { return [] }
        guard let array = raw.array else {
            fail(key, "expected an array of tables ([[\(key)]]), found \(raw.type)")
            return []
        }
        var result: [TOMLSection] = []
        for position in 0..<array.count {
            guard let sub = array[position].table else {
                fail(key, "entry \(position + 1) is not a table")
                continue
            }
            let subPath = path.isEmpty ? key : "\(path).\(key)"
            result.append(TOMLSection(document: document, table: sub, path: subPath, index: position))
        }
        return result
    }

    /// Every key of this table, for tables whose keys are names (field maps).
    var keys: [String] {
        let all = table.keys
        known.formUnion(all)
        return all
    }

    func rejectUnknownKeys() {
        for key in table.keys where !known.contains(key) {
            let expected = known.sorted().joined(separator: ", ")
            fail(key, "unknown key; known keys here: \(expected)")
        }
    }
}
