/// Finds the line of a key in a TOML file's text.
///
/// TOMLKit reports positions for syntax errors only; for a value that parses but is wrong
/// (a port of 70000, an unknown profile) this scan of the text gives the operator a line number
/// anyway. It follows `[table]` and `[[array]]` headers, counting array entries.
struct SourceLineLocator {
    private let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line of `key` inside `table` (dotted, for example `sensors.fields`), in the
    /// `index`-th entry when the table is an array of tables. With a nil key, the header's line.
    func line(table: String, index: Int? = nil, key: String?) -> Int? {
        var currentTable = ""
        var arrayCounts: [String: Int] = [:]
        var currentIndex: Int?
        var headerLine: Int?
        for (number, raw) in lines.enumerated() {
            let text = raw.trimmingWhitespace()
            if text.hasPrefix("[[") {
                let name = String(text.dropFirst(2).prefix { $0 != "]" }).trimmingWhitespace()
                arrayCounts[name, default: -1] += 1
                currentTable = name
                currentIndex = arrayCounts[name]
            } else if text.hasPrefix("[") {
                let name = String(text.dropFirst().prefix { $0 != "]" }).trimmingWhitespace()
                currentTable = name
                // A sub-table of an array entry keeps the entry's index.
                let parent = name.split(separator: ".").dropLast().joined(separator: ".")
                currentIndex = arrayCounts[parent] ?? arrayCounts[name]
            } else {
                guard currentTable == table, index == nil || currentIndex == index else { continue }
                guard let key else { continue }
                let name = text.prefix { $0 != "=" }.trimmingWhitespace().trimmingQuotes()
                if name == key, text.contains("=") { return number + 1 }
                continue
            }
            if currentTable == table, index == nil || currentIndex == index, headerLine == nil {
                headerLine = number + 1
                if key == nil { return headerLine }
            }
        }
        return headerLine
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }

    func trimmingQuotes() -> String {
        var slice = Substring(self)
        if slice.count >= 2, let first = slice.first, first == "\"" || first == "'", slice.last == first {
            slice = slice.dropFirst().dropLast()
        }
        return String(slice)
    }
}
