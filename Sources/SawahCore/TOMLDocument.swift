import TOMLKit

/// A parsed TOML file plus what is needed to report problems in it: the file name, a line
/// locator and the list of problems found so far. Readers record problems instead of throwing
/// at the first one, so `--check-config` lists everything that is wrong in one run.
final class TOMLDocument {
    let file: String
    let root: TOMLTable
    private let locator: SourceLineLocator
    private(set) var errors: [ConfigError] = []

    /// Parses `text`; a syntax error is thrown with the parser's line.
    init(text: String, file: String) throws(ConfigErrors) {
        self.file = file
        self.locator = SourceLineLocator(text: text)
        do {
            self.root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigErrors([ConfigError(file: file, line: error.source.begin.line, key: "", problem: "invalid TOML: \(error.description)")])
        } catch {
            throw ConfigErrors([ConfigError(file: file, key: "", problem: "invalid TOML: \(error)")])
        }
    }

    /// The top-level table as a section.
    var rootSection: TOMLSection {
        TOMLSection(document: self, table: root, path: "", index: nil)
    }

    func record(_ problem: String, path: String, index: Int?, key: String?) {
        let line = locator.line(table: path, index: index, key: key)
        errors.append(ConfigError(file: file, line: line, key: Self.displayName(path: path, index: index, key: key), problem: problem))
    }

    /// `[mqtt] port`, `[[sensors]] #2 profile`, or just `port` at the top level.
    static func displayName(path: String, index: Int?, key: String?) -> String {
        var parts: [String] = []
        if !path.isEmpty {
            parts.append(index.map { "[[\(path)]] #\($0 + 1)" } ?? "[\(path)]")
        }
        if let key { parts.append(key) }
        return parts.joined(separator: " ")
    }

    /// Throws everything recorded, if anything was.
    func throwIfErrors() throws(ConfigErrors) {
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }
}
