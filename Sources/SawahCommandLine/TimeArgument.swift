import ArgumentParser
import Foundation

/// A point in time on the command line: `2026-11-01`, `2026-11-01T06:00:00Z`, or
/// milliseconds since 1970. Stored as milliseconds since 1970.
struct TimeArgument: ExpressibleByArgument {
    var milliseconds: Int64

    init?(argument: String) {
        if let number = Int64(argument) {
            milliseconds = number
            return
        }
        let formats: [Date.ISO8601FormatStyle] = [
            .iso8601,
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
            Date.ISO8601FormatStyle().year().month().day()
        ]
        for format in formats {
            if let date = try? format.parse(argument) {
                milliseconds = Int64(date.timeIntervalSince1970 * 1000)
                return
            }
        }
        return nil
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
