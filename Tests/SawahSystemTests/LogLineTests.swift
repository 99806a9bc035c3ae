import Foundation
import Logging
import Testing

@testable import SawahSystem

/// Field text in a log message or value cannot forge a journald entry of its own.
@Suite struct LogLineTests {
    @Test func aNewlineInFieldTextStaysOnOneLine() {
        let handler = JournaldLogHandler(label: "sawahd", level: .info)
        let forged = "farm/x\n<2>sawahd: forged critical entry"
        let line = handler.line(level: .warning, message: "quarantined a payload from \(forged)", metadata: ["topic": .string(forged)])
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false, "one event, one line: \(line)")
        #expect(line.contains("farm/x\\n<2>sawahd: forged critical entry"))
        #expect(line.contains("topic=\"farm/x\\n<2>sawahd: forged critical entry\""))
    }

    @Test func aTerminalLineStartsWithTheUTCTimeToTheMillisecond() throws {
        let before = Date()
        let stamp = JournaldLogHandler.utcNow()
        #expect(stamp.count == 24, "\(stamp)")
        #expect(stamp.hasSuffix("Z"))
        let parsed = try #require(try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(stamp))
        #expect(abs(parsed.timeIntervalSince(before)) < 2, "\(stamp) is not now (\(before))")
    }
}
