/// Why a GPIO line could not be used, naming the chip and line.
public enum GPIOError: Error, Equatable, CustomStringConvertible, Sendable {
    case noSuchChip(String, reason: String)
    case noSuchLine(chip: String, line: String)
    case busy(chip: String, line: String, consumer: String?)
    case requestFailed(chip: String, line: String, reason: String)
    case readFailed(chip: String, line: String, reason: String)

    public var description: String {
        switch self {
        case .noSuchChip(let chip, let reason): "GPIO chip \"\(chip)\" not found (\(reason)); `gpiodetect` lists the chips"
        case .noSuchLine(let chip, let line): "GPIO chip \(chip) has no \(line); `gpioinfo \(chip)` lists its lines"
        case .busy(let chip, let line, let consumer):
            "GPIO \(chip) \(line) is in use\(consumer.map { " by \"\($0)\"" } ?? "") — another program or a kernel driver holds it"
        case .requestFailed(let chip, let line, let reason): "GPIO \(chip) \(line) cannot be requested: \(reason)"
        case .readFailed(let chip, let line, let reason): "GPIO \(chip) \(line) cannot be read: \(reason)"
        }
    }
}
