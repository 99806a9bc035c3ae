/// What a GPIO line request asks for. Kept free of any libgpiod type, so a libgpiod 2.x
/// backend can implement `GPIOBackend` next to the v1.6 one.
public struct GPIOLineRequest: Sendable, Equatable {
    public enum Line: Sendable, Equatable, CustomStringConvertible {
        case offset(Int)
        case name(String)

        public var description: String {
            switch self {
            case .offset(let offset): "line \(offset)"
            case .name(let name): "line \"\(name)\""
            }
        }
    }

    public enum Bias: String, Sendable, CaseIterable {
        case asIs = "as-is"
        case disable
        case pullUp = "pull-up"
        case pullDown = "pull-down"
    }

    public enum Edges: String, Sendable, CaseIterable {
        /// Levels only, no edge events.
        case none
        case rising
        case falling
        case both
    }

    /// A chip name (`gpiochip0`), path (`/dev/gpiochip0`), label or number.
    public var chip: String
    public var line: Line
    public var bias = Bias.asIs
    /// Logical high is the electrically low level (a switch to ground with a pull-up).
    public var activeLow = false
    public var edges = Edges.none
    /// Shown by `gpioinfo` as the line's user.
    public var consumer = "sawahd"

    public init(chip: String, line: Line) {
        self.chip = chip
        self.line = line
    }
}

/// One edge seen by the kernel, with its timestamp (CLOCK_MONOTONIC, nanoseconds).
public struct GPIOEdgeEvent: Sendable, Equatable {
    public enum Kind: Sendable { case rising, falling }
    public var kind: Kind
    public var nanoseconds: Int64

    public init(kind: Kind, nanoseconds: Int64) {
        self.kind = kind
        self.nanoseconds = nanoseconds
    }
}

/// A requested line. Edge events queue in the kernel; `eventDescriptor` becomes readable when
/// one is waiting, so a caller sleeps in `poll` instead of polling the level.
public protocol GPIOLine: AnyObject {
    /// The logical level (active-low applied).
    func value() throws(GPIOError) -> Bool
    /// Readable when edge events are waiting; -1 for a line requested without edges.
    var eventDescriptor: Int32 { get }
    /// Reads the waiting edge events (at most `max`); call when `eventDescriptor` is readable.
    func readEvents(max: Int) throws(GPIOError) -> [GPIOEdgeEvent]
    /// Releases the line (also done on deinit).
    func release()
}

/// Opens lines on GPIO chips.
public protocol GPIOBackend: Sendable {
    func request(_ request: GPIOLineRequest) throws(GPIOError) -> any GPIOLine
}

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
        case .busy(let chip, let line, let consumer): "GPIO \(chip) \(line) is in use\(consumer.map { " by \"\($0)\"" } ?? "") — another program or a kernel driver holds it"
        case .requestFailed(let chip, let line, let reason): "GPIO \(chip) \(line) cannot be requested: \(reason)"
        case .readFailed(let chip, let line, let reason): "GPIO \(chip) \(line) cannot be read: \(reason)"
        }
    }
}
