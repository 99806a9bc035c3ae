import Testing

@testable import SawahCore

/// The JSON parser behind payloads and signed content keeps to RFC 8259's I-JSON subset and
/// says where the problem is.
@Suite struct StrictJSONTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    func refusal(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func wellFormedDocumentsParse() throws {
        #expect(
            try parse(#" {"a": [1, -2.5e3, true, false, null, "x\u00e9\ud83c\udf3e\n"], "b": {}} "#)
                == .object(["a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("xé🌾\n")]), "b": .object([:])]))
        #expect(try parse("0") == .number(0))
        #expect(try parse(#""\/""#) == .string("/"))
    }

    @Test(arguments: [
        (#"{"issuer":"a","issuer":"b"}"#, "appears twice"),
        (#"{"a":1,}"#, "trailing comma in an object"),
        ("[1,2,]", "trailing comma in an array"),
        ("[1 2]", "',' or ']' was expected"),
        ("01", "leading zero"),
        ("1.", "after '.'"),
        ("1e", "exponent"),
        ("1e999", "out of range"),
        ("NaN", "a value was expected"),
        (#""\ud800""#, "unpaired surrogate"),
        (#""\udc00x""#, "unpaired surrogate"),
        (#""\q""#, "unknown escape"),
        ("\"a\u{01}\"", "control character"),
        (#"{"a" 1}"#, "':' was expected"),
        ("[1] [2]", "after the JSON value"),
        ("tru", "'true' was expected"),
        (#""abc"#, "unterminated string"),
        ("", "unexpected end of input")
    ])
    func malformedDocumentsAreRefusedWithTheReason(text: String, reason: String) {
        let message = refusal(text)
        #expect(message?.contains(reason) == true, "\(text) → \(message ?? "accepted")")
        #expect(message?.contains("byte") == true, "the error names the offset")
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(refusal(deep)?.contains("nested deeper than 64") == true)
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        _ = try parse(fine)
    }
}
