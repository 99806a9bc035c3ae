/// Text that came from the field — topics, payload excerpts, reasons quoting them — is written
/// to logs and terminals. A newline in it would forge a log line of its own (journald files
/// each line as an entry, with the priority the line claims), and escape sequences would
/// rewrite an operator's terminal. So control characters are shown, not obeyed.
public enum ControlCharacters {
    /// `text` with C0 and C1 control characters and DEL escaped: `\n`, `\r`, `\t`, and `\u{1B}`
    /// style for the rest; a backslash stays as it is. Text without controls is returned as is.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
