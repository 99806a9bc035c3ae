import SawahCore

/// Builds EPCIS 2.0 JSON-LD documents from lot observations: one `ObjectEvent` per lot and
/// interval, `action` OBSERVE, `bizStep` sensor_reporting, one sensorElement per device with
/// min/max/mean/sDev per quantity, and an `ALARM_CONDITION` report per threshold breach. Each
/// event's `eventID` is its CBV 2.0 canonical hash.
public enum EPCISDocumentBuilder {
    public static let contextURL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

    public static func event(for observation: LotObservation) -> JSONValue {
        var event: [String: JSONValue] = [
            "type": .string("ObjectEvent"),
            "eventTime": .string(EPCISTimestamp.format(observation.end)),
            "eventTimeZoneOffset": .string(observation.timeZoneOffset),
            "epcList": .array([.string(observation.lot)]),
            "action": .string("OBSERVE"),
            "bizStep": .string("sensor_reporting"),
            "readPoint": .object(["id": .string(observation.plot)])
        ]
        if let farm = observation.farm { event["bizLocation"] = .object(["id": .string(farm)]) }
        event["sensorElementList"] = .array(
            observation.devices.map { device in
                var metadata: [String: JSONValue] = [
                    "startTime": .string(EPCISTimestamp.format(observation.start)),
                    "endTime": .string(EPCISTimestamp.format(observation.end)),
                    "deviceID": .string(device.deviceID)
                ]
                if let raw = device.rawData { metadata["rawData"] = .string(raw) }
                var reports: [JSONValue] = []
                for report in device.reports {
                    let s = report.statistics
                    reports.append(
                        .object([
                            "type": .string(report.measurementType), "uom": .string(report.unit),
                            "minValue": .number(s.min), "maxValue": .number(s.max),
                            "meanValue": .number(s.mean), "sDev": .number(s.sDev)
                        ]))
                    if let alarm = report.alarmValue {
                        reports.append(
                            .object([
                                "type": .string(report.measurementType), "exception": .string("ALARM_CONDITION"),
                                "value": .number(alarm), "uom": .string(report.unit)
                            ]))
                    }
                }
                return .object(["sensorMetadata": .object(metadata), "sensorReport": .array(reports)])
            })
        if let position = observation.coordinates, case .array(var elements)? = event["sensorElementList"] {
            // EPCIS expresses a position as two Angle reports with their components and CRS.
            let crs = JSONValue.string("http://www.opengis.net/def/crs/OGC/1.3/CRS84")
            elements.append(
                .object([
                    "sensorReport": .array([
                        .object([
                            "type": .string("Angle"), "component": .string("latitude"), "value": .number(position.latitude), "uom": .string("DD"),
                            "coordinateReferenceSystem": crs
                        ]),
                        .object([
                            "type": .string("Angle"), "component": .string("longitude"), "value": .number(position.longitude), "uom": .string("DD"),
                            "coordinateReferenceSystem": crs
                        ])
                    ])
                ]))
            event["sensorElementList"] = .array(elements)
        }
        let hash = EventHash(context: nil).eventID(for: .object(event))
        event["eventID"] = .string(hash)
        return .object(event)
    }

    /// An EPCISDocument holding `events`, created at `creationDate` (ms since 1970).
    public static func document(events: [JSONValue], creationDate: Int64) -> JSONValue {
        .object([
            "@context": .array([.string(contextURL)]),
            "type": .string("EPCISDocument"),
            "schemaVersion": .string("2.0"),
            "creationDate": .string(EPCISTimestamp.format(creationDate)),
            "epcisBody": .object(["eventList": .array(events)])
        ])
    }
}
