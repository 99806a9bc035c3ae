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
