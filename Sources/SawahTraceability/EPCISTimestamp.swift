/// Timestamps as the CBV 2.0 event hash wants them: UTC, millisecond precision, `Z`. Also
/// the one formatter for every timestamp Sawah prints or publishes.
public enum EPCISTimestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` and renders it in UTC with exactly
    /// three decimals. Microseconds are rounded to milliseconds half-to-even, as the reference
    /// implementation does; digits past the sixth are ignored. Nil when the text is not such a
    /// timestamp (the value is then hashed as it is).
    public static func canonical(_ text: String) -> String? {
        guard let millis = milliseconds(text) else { return nil }
        return format(millis)
    }

    /// Milliseconds since 1970 for an ISO 8601 date-time with a zone.
    public static func milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(0x2d), let month = number(2), expect(0x2d), let day = number(2),
            index < bytes.count, bytes[index] == 0x54 || bytes[index] == 0x74
        else { return nil }
        index += 1
        guard let hour = number(2), expect(0x3a), let minute = number(2), expect(0x3a), let second = number(2) else { return nil }
        var micros: Int64 = 0
        if expect(0x2e) {
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 6 { micros = micros * 10 + Int64(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if expect(0x5a) || expect(0x7a) {
            offsetMinutes = 0
        } else if index < bytes.count, bytes[index] == 0x2b || bytes[index] == 0x2d {
            let sign: Int64 = bytes[index] == 0x2d ? -1 : 1
            index += 1
            guard let hours = number(2), expect(0x3a), let minutes = number(2) else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
        } else {
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1_000 + roundHalfEven(micros, to: 1_000) / 1_000
    }

    /// `2023-01-18T11:04:03.142Z`.
    public static func format(_ millis: Int64) -> String {
        let seconds = floorDiv(millis, 1_000)
        let fraction = millis - seconds * 1_000
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3_600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 3))Z"
    }

    private static func roundHalfEven(_ value: Int64, to step: Int64) -> Int64 {
        let quotient = value / step
        let remainder = value % step
        if remainder * 2 > step || (remainder * 2 == step && quotient % 2 == 1) { return (quotient + 1) * step }
        return quotient * step
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
