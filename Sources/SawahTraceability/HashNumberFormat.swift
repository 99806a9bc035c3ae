import FoundationEssentials

/// Numbers as the CBV 2.0 event hash writes them: no trailing zeros, no `+`, integers without
/// a decimal point. The reference implementation gets there with Python's `float` → `int` →
/// `str`; this reproduces that: an integral value prints all its digits (`1e20` →
/// `100000000000000000000`), any other the shortest text that reads back as the same double,
/// in exponent form below 1e-4 (`1e-05`, `1.5e-07`).
enum HashNumberFormat {
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if value == value.rounded(.towardZero) {
            if value == 0 { return "0" }
            if abs(value) < 9.0e15 { return String(Int64(value)) }
            return integralDigits(value)
        }
        // Swift's description is the shortest round-trip form too; both switch to exponents
        // below 1e-4, and every non-integral double is below 2^53, where neither does above.
        return value.description
    }

    /// The exact decimal digits of an integral double of any size (|value| ≥ 2^53 here).
    private static func integralDigits(_ value: Double) -> String {
        let magnitude = abs(value)
        // magnitude = significand * 2^shift, with the implicit leading bit restored.
        let significand = UInt64(magnitude.significandBitPattern) | (1 << 52)
        let shift = Int(magnitude.exponent) - 52
        var digits: [UInt8] = Array(String(significand).utf8).map { $0 - 0x30 }.reversed()
        for _ in 0..<max(shift, 0) {
            var carry: UInt8 = 0
            for index in digits.indices {
                let doubled = digits[index] * 2 + carry
                digits[index] = doubled % 10
                carry = doubled / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        let text = String(decoding: digits.reversed().map { $0 + 0x30 }, as: UTF8.self)
        return value < 0 ? "-" + text : text
    }

    /// The reference formats any value that Python's `float()` accepts as a number, so numeric
    /// strings (`"2"`, `" 5.0"`) are rewritten too.
    static func formatIfNumeric(_ text: String) -> String {
        guard looksNumeric(text), let value = Double(text) else { return text }
        return format(value)
    }

    /// Decimal literals only: Swift's `Double("0x1p3")` or `"nan"` must not turn a code into a number.
    private static func looksNumeric(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var sawDigit = false
        for (position, scalar) in scalars.enumerated() {
            switch scalar {
            case "0"..."9":
                sawDigit = true
            case "+", "-":
                guard position == 0 || scalars[position - 1] == "e" || scalars[position - 1] == "E" else { return false }
            case ".", "e", "E":
                continue
            default:
                return false
            }
        }
        return sawDigit
    }
}
