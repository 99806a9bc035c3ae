import CGpiod

#if canImport(Glibc)
import Glibc
#endif

/// `GPIOBackend` on libgpiod v1.6 (Debian 12's), the character-device interface.
public struct LibgpiodV1Backend: GPIOBackend {
    public init() {}

    public func request(_ request: GPIOLineRequest) throws(GPIOError) -> any GPIOLine {
        guard let chip = gpiod_chip_open_lookup(request.chip) else {
            throw .noSuchChip(request.chip, reason: String(cString: strerror(errno)))
        }
        let chipName = gpiod_chip_name(chip).map { String(cString: $0) } ?? request.chip
        let found: OpaquePointer?
        switch request.line {
        case .offset(let offset):
            found = offset >= 0 && offset < Int(gpiod_chip_num_lines(chip)) ? gpiod_chip_get_line(chip, UInt32(offset)) : nil
        case .name(let name):
            found = gpiod_chip_find_line(chip, name)
        }
        guard let line = found else {
            gpiod_chip_close(chip)
            throw .noSuchLine(chip: chipName, line: request.line.description)
        }
        var config = gpiod_line_request_config()
        var flags: Int32 = 0
        if request.activeLow { flags |= Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) }
        switch request.bias {
        case .asIs: break
        case .disable: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
        case .pullUp: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
        case .pullDown: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
        }
        config.flags = flags
        switch request.edges {
        case .none: config.request_type = Int32(GPIOD_LINE_REQUEST_DIRECTION_INPUT)
        case .rising: config.request_type = Int32(GPIOD_LINE_REQUEST_EVENT_RISING_EDGE)
        case .falling: config.request_type = Int32(GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE)
        case .both: config.request_type = Int32(GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES)
        }
        let status = request.consumer.withCString { consumer in
            config.consumer = consumer
            return gpiod_line_request(line, &config, 0)
        }
        guard status == 0 else {
            let code = errno
            let consumer = gpiod_line_consumer(line).map { String(cString: $0) }
            gpiod_chip_close(chip)
            if code == EBUSY { throw .busy(chip: chipName, line: request.line.description, consumer: consumer) }
            throw .requestFailed(chip: chipName, line: request.line.description, reason: String(cString: strerror(code)))
        }
        return LibgpiodV1Line(chip: chip, line: line, chipName: chipName, lineName: request.line.description, events: request.edges != .none)
    }
}

/// A line requested through libgpiod v1.6; owns its chip handle.
final class LibgpiodV1Line: GPIOLine {
    private var chip: OpaquePointer?
    private let line: OpaquePointer
    private let chipName: String
    private let lineName: String
    let eventDescriptor: Int32

    init(chip: OpaquePointer, line: OpaquePointer, chipName: String, lineName: String, events: Bool) {
        self.chip = chip
        self.line = line
        self.chipName = chipName
        self.lineName = lineName
        eventDescriptor = events ? gpiod_line_event_get_fd(line) : -1
    }

    func value() throws(GPIOError) -> Bool {
        let value = gpiod_line_get_value(line)
        guard value >= 0 else { throw .readFailed(chip: chipName, line: lineName, reason: String(cString: strerror(errno))) }
        return value == 1
    }

    func readEvents(max: Int) throws(GPIOError) -> [GPIOEdgeEvent] {
        var buffer = [gpiod_line_event](repeating: gpiod_line_event(), count: max)
        let count = gpiod_line_event_read_multiple(line, &buffer, UInt32(max))
        guard count >= 0 else { throw .readFailed(chip: chipName, line: lineName, reason: String(cString: strerror(errno))) }
        return buffer.prefix(Int(count)).map { event in
            GPIOEdgeEvent(
                kind: event.event_type == Int32(GPIOD_LINE_EVENT_RISING_EDGE) ? .rising : .falling,
                nanoseconds: Int64(event.ts.tv_sec) * 1_000_000_000 + Int64(event.ts.tv_nsec))
        }
    }

    func release() {
        guard let chip else { return }
        gpiod_line_release(line)
        gpiod_chip_close(chip)
        self.chip = nil
    }

    deinit { release() }
}
