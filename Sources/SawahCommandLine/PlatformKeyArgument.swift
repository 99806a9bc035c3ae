import ArgumentParser

/// A platform's pseudonym key on the command line (`--platform-key`): 64 hex digits, as
/// `sawah disclosures key` prints it.
enum PlatformKeyArgument {
    static func bytes(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { throw ValidationError("--platform-key: expected 64 hex digits, found \(digits.count) characters") }
        return try stride(from: 0, to: 64, by: 2).map { offset in
            guard let byte = UInt8(String(decoding: digits[offset..<offset + 2], as: UTF8.self), radix: 16) else {
                throw ValidationError("--platform-key: expected 64 hex digits")
            }
            return byte
        }
    }
}
