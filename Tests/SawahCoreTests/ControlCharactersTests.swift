import Testing

@testable import SawahCore

@Suite struct ControlCharactersTests {
    @Test func controlsAreShownNotObeyed() {
        #expect(ControlCharacters.escaped("farm/plot1/soil") == "farm/plot1/soil")
        #expect(ControlCharacters.escaped("a\nb\r\tc") == "a\\nb\\r\\tc")
        #expect(ControlCharacters.escaped("\u{1B}[2Jwiped") == "\\u{1B}[2Jwiped")
        #expect(ControlCharacters.escaped("nul\u{0}del\u{7F}c1\u{9B}") == "nul\\u{0}del\\u{7F}c1\\u{9B}")
        #expect(ControlCharacters.escaped("sawah 🌾 é \\n") == "sawah 🌾 é \\n", "printable text, backslashes included, is untouched")
    }
}
