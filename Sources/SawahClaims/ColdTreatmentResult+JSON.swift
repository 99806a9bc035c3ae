import SawahCore
import SawahTraceability

extension ColdTreatmentResult {
    /// The result as the evidence bundle carries it (serialised with `JSONText`).
    public var json: JSONValue {
        .object([
            "row": row.map { .object(["maxCelsius": .number($0.maxCelsius), "days": .number($0.days)]) } ?? .null,
            "start": start.map { .string(EPCISTimestamp.format($0)) } ?? .null,
            "end": end.map { .string(EPCISTimestamp.format($0)) } ?? .null,
            "days": days.map { .number($0) } ?? .null,
            "hoursAboveLimit": .object(hoursAboveLimit.mapValues { .number($0) }),
            "restarts": .array(
                restarts.map { restart in
                    .object([
                        "time": .string(EPCISTimestamp.format(restart.time)), "probe": .string(restart.probe),
                        "reason": .string(restart.reason.rawValue), "celsius": restart.celsius.map { .number($0) } ?? .null
                    ])
                }),
            "probes": .array(
                probes.map { probe in
                    .object([
                        "id": .string(probe.id), "placement": .string(probe.placement.rawValue),
                        "iceReadingCelsius": .number(probe.iceReadingCelsius), "calibrationHash": .string(probe.calibrationHash)
                    ])
                }),
            "problems": .array(problems.map { .string($0.rawValue) })
        ])
    }
}

extension ColdTreatmentSchedule {
    /// The schedule as a claim carries it: the rule profile's id and every value of the schedule.
    public var json: JSONValue {
        .object([
            "profile": .string(ColdTreatmentSchedule.profileID),
            "id": .string(id),
            "rows": .array(rows.map { .object(["maxCelsius": .number($0.maxCelsius), "days": .number($0.days)]) }),
            "restartAboveCelsius": .number(restartAboveCelsius),
            "minPulpProbes": .number(Double(minPulpProbes)),
            "maxIntervalMinutes": .number(maxIntervalMinutes)
        ])
    }

    /// The rule profile that reads every schedule (docs/rules/cold-treatment-1.md).
    public static let profileID = "urn:sawah:rules:cold-treatment:1"
}

extension ColdTreatmentSchedule {
    /// A schedule read back from the JSON a claim carries (`json`); nil when it is not one.
    public init?(json: JSONValue) {
        guard case .string(let id)? = json.value(at: "id"), case .array(let rowValues)? = json.value(at: "rows"),
            case .number(let restart)? = json.value(at: "restartAboveCelsius"), case .number(let probes)? = json.value(at: "minPulpProbes"),
            case .number(let interval)? = json.value(at: "maxIntervalMinutes"), probes >= 1, probes <= 64
        else { return nil }
        var rows: [Row] = []
        for value in rowValues {
            guard case .number(let celsius)? = value.value(at: "maxCelsius"), case .number(let days)? = value.value(at: "days") else { return nil }
            rows.append(Row(maxCelsius: celsius, days: days))
        }
        self.init(id: id, rows: rows, restartAboveCelsius: restart, minPulpProbes: Int(probes), maxIntervalMinutes: interval)
    }
}
