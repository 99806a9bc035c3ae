/// Names that end up in MQTT topics, file names and SQL values: kept to a safe alphabet.
public enum Identifier {
    /// Letters, digits, "-" and "_", 1 to 64 of them.
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                    || byte == 0x2d || byte == 0x5f
            }
    }
}
