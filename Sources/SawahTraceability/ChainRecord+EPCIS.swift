import SawahCore

extension ChainRecord {
    /// The record as one EPCIS 2.0 `ObjectEvent` (OBSERVE) with its canonical-hash `eventID`.
    /// A season boundary is observed at the plot (`readPoint`); a calibration is an
    /// `inspecting` step on the probe, its ice-slurry reading a Temperature sensor report.
    public func event(timeZoneOffset: String, farm: String?) -> JSONValue {
        var event: [String: JSONValue] = [
            "type": .string("ObjectEvent"),
            "eventTime": .string(EPCISTimestamp.format(time)),
            "eventTimeZoneOffset": .string(timeZoneOffset),
            "action": .string("OBSERVE")
        ]
        if let farm { event["bizLocation"] = .object(["id": .string(farm)]) }
        switch self {
        case .season(let plot, let stage, _):
            event["epcList"] = .array([])
            event["bizStep"] = .string(Self.seasonStepPrefix + stage.rawValue)
            event["readPoint"] = .object(["id": .string(plot)])
        case .calibration(_, let deviceID, let reading, _):
            event["epcList"] = .array([.string(deviceID)])
            event["bizStep"] = .string("inspecting")
            event["sensorElementList"] = .array([
                .object([
                    "sensorMetadata": .object([
                        "deviceID": .string(deviceID), "time": .string(EPCISTimestamp.format(time)),
                        "dataProcessingMethod": .string(Self.iceSlurryMethod)
                    ]),
                    "sensorReport": .array([.object(["type": .string("Temperature"), "value": .number(reading), "uom": .string("CEL")])])
                ])
            ])
        }
        event["eventID"] = .string(EventHash(context: nil).eventID(for: .object(event)))
        return .object(event)
    }

    /// Reads the record back from its signed EPCIS document; the error names what is missing.
    public static func parse(epcis: [UInt8]) -> Result<ChainRecord, ChainRecordError> {
        guard let document = try? JSONValue.parse(epcis), case .array(let events)? = document.value(at: "epcisBody.eventList"),
            events.count == 1, let event = events.first
        else { return .failure(.init("expected an EPCIS document with exactly one event")) }
        guard case .string(let timeText)? = event.value(at: "eventTime"), let time = EPCISTimestamp.milliseconds(timeText) else {
            return .failure(.init("the event has no readable eventTime"))
        }
        guard case .string(let step)? = event.value(at: "bizStep") else { return .failure(.init("the event has no bizStep")) }
        if step.hasPrefix(seasonStepPrefix) {
            guard let stage = SeasonStage(rawValue: String(step.dropFirst(seasonStepPrefix.count))) else {
                return .failure(.init("unknown season stage in bizStep \(step)"))
            }
            guard case .string(let plot)? = event.value(at: "readPoint.id") else { return .failure(.init("the season event names no plot (readPoint)")) }
            return .success(.season(plot: plot, stage: stage, time: time))
        }
        guard step == "inspecting", case .array(let elements)? = event.value(at: "sensorElementList"), elements.count == 1,
            case .string(let deviceID)? = elements[0].value(at: "sensorMetadata.deviceID"),
            case .string(Self.iceSlurryMethod)? = elements[0].value(at: "sensorMetadata.dataProcessingMethod"),
            case .array(let reports)? = elements[0].value(at: "sensorReport"), reports.count == 1,
            case .number(let reading)? = reports[0].value(at: "value"), case .string("CEL")? = reports[0].value(at: "uom")
        else { return .failure(.init("neither a season event nor an ice-slurry calibration (bizStep \(step))")) }
        return .success(.calibration(sensor: sensorID(fromDevice: deviceID), deviceID: deviceID, iceReadingCelsius: reading, time: time))
    }

    /// A probe's sensor id from its device URI (`urn:sawah:<gateway>:sensor:<id>`), or the URI.
    static func sensorID(fromDevice deviceID: String) -> String {
        let parts = deviceID.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[parts.count - 2] == "sensor" else { return deviceID }
        return String(parts[parts.count - 1])
    }
}

/// Why a chain link's EPCIS document is not a readable record.
public struct ChainRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
