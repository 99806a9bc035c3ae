/// Turns one payload from one sensor into readings, using the sensor's device profile and its
/// overrides in the config: find each quantity's value, calibrate it, check its range, and take
/// the device's timestamp when it is plausible.
///
/// Whatever cannot become a reading is reported in `problems`, and the caller quarantines the
/// raw payload with them: a malformed payload produces no readings; one bad quantity among good
/// ones keeps the good ones.
public struct PayloadNormaliser: Sendable {
    /// Payloads larger than this are quarantined unread (a 1 MB JSON blob is not a reading).
    public static let maxPayloadBytes = 64 * 1024

    public struct Outcome: Sendable {
        public var readings: [Reading] = []
        public var problems: [String] = []
    }

    public let sensor: GatewayConfiguration.Sensor
    public let profile: DeviceProfile
    private let plan: [(quantity: DeviceProfile.Quantity, path: String)]
    private let normaliser: Normaliser
    /// The profile's LoRaWAN byte decoder, if it has one (looked up once, not per message).
    private let byteDecoder: ByteDecoder?

    public init(sensor: GatewayConfiguration.Sensor, profile: DeviceProfile) {
        self.sensor = sensor
        self.profile = profile
        self.byteDecoder = ByteDecoder(rawValue: profile.decoder)
        self.normaliser = Normaliser(sensor: sensor, profile: profile)
        self.plan = profile.quantities.map { quantity in (quantity, sensor.fields[quantity.name] ?? quantity.field) }
    }

    public func normalise(payload: [UInt8], source: String, receivedAt: Int64, gatewayClockSynchronised: Bool = true) -> Outcome {
        var outcome = Outcome()
        guard payload.count <= Self.maxPayloadBytes else {
            outcome.problems.append("payload of \(payload.count) bytes exceeds the \(Self.maxPayloadBytes)-byte limit")
            return outcome
        }
        if let offset = Self.firstInvalidUTF8Offset(payload) {
            outcome.problems.append("payload is not valid UTF-8 (bad byte at offset \(offset))")
            return outcome
        }
        let envelope: PayloadFormat.Envelope
        // The profile's time field describes plain JSON; wrapped formats carry their own time.
        let timeField = sensor.format == .json ? (sensor.timeField ?? profile.timeField) : sensor.timeField
        switch sensor.format.envelope(payload: payload, topic: source, timeField: timeField, bytes: byteDecoder) {
        case .success(let unwrapped):
            envelope = unwrapped
        case .failure(let problem):
            outcome.problems.append(problem.description)
            return outcome
        }
        let document = envelope.values
        let (observedAt, timeFlags) = DeviceTimestamp.resolve(
            envelope.time, receivedAt: receivedAt, gatewayClockSynchronised: gatewayClockSynchronised)

        var found = 0
        for step in plan {
            guard let raw = document.value(at: step.path) else { continue }
            found += 1
            switch Self.number(from: raw) {
            case .failure(let problem):
                outcome.problems.append("\(step.quantity.name) at \"\(step.path)\": \(problem)")
            case .success(let reported):
                let conversion = step.quantity
                // The model's conversion to its unit, rounded like a calibration; then the
                // calibration and the range, as for every other source.
                let measured =
                    conversion.scale == 1 && conversion.offset == 0
                    ? reported : Normaliser.rounded(reported * conversion.scale + conversion.offset)
                switch normaliser.reading(
                    step.quantity, measured: measured, observedAt: observedAt, receivedAt: receivedAt, source: source,
                    quality: timeFlags, link: envelope.link)
                {
                case .success(let reading): outcome.readings.append(reading)
                case .failure(let problem): outcome.problems.append(problem.description)
                }
            }
        }
        if found == 0 {
            let expected = plan.map { "\"\($0.path)\"" }.joined(separator: ", ")
            outcome.problems.append("none of the fields \(expected) of profile \(profile.id) is in the payload")
        }
        return outcome
    }

    /// A finite number from a JSON number, a numeric string, or a boolean (as 1/0).
    static func number(from value: JSONValue) -> Result<Double, Problem> {
        switch value {
        case .number(let number):
            return number.isFinite ? .success(number) : .failure(Problem("not a finite number"))
        case .bool(let flag):
            return .success(flag ? 1 : 0)
        case .string(let text):
            guard let number = Double(text.trimmingWhitespace()) else {
                return .failure(Problem("expected a number, found \(value.kind)"))
            }
            return number.isFinite ? .success(number) : .failure(Problem("\"\(text)\" is not a finite number"))
        default:
            return .failure(Problem("expected a number, found \(value.kind)"))
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The offset of the first byte that breaks UTF-8, or nil when the bytes are valid.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
