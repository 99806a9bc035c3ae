import SawahCore
import SawahTraceability

extension AWDResult {
    /// The result as the evidence bundle carries it. Serialised with `JSONText` (sorted keys,
    /// shortest round-trip numbers), so a verifier that re-runs the rules compares bytes.
    public var json: JSONValue {
        .object([
            "regime": .string(regime.rawValue),
            "countedPeriods": .number(Double(countedPeriods)),
            "scalingFactor": .number(scalingFactor),
            "coverage": .number(coverage),
            "readings": .number(Double(readings)),
            "flags": .array(flags.map { .string($0.rawValue) }),
            "periods": .array(
                periods.map { period in
                    .object([
                        "start": .string(EPCISTimestamp.format(period.start)),
                        "end": period.end.map { .string(EPCISTimestamp.format($0)) } ?? .null,
                        "hours": .number(period.hours),
                        "deepestCm": .number(period.deepestCm),
                        "hoursBelowUnsafe": .number(period.hoursBelowUnsafe),
                        "verdict": .string(period.verdict.rawValue)
                    ])
                })
        ])
    }
}

extension AWDRules {
    /// The profile id and every parameter's value, as a claim carries them.
    public var json: JSONValue {
        .object([
            "id": .string(Self.profileID),
            "parameters": .object([
                "enterBelowCm": .number(enterBelowCm), "exitAboveCm": .number(exitAboveCm),
                "minDwellMinutes": .number(minDwellMinutes), "countedAfterHours": .number(countedAfterHours),
                "unsafeBelowCm": .number(unsafeBelowCm), "unsafeAfterHours": .number(unsafeAfterHours),
                "shallowAboveCm": .number(shallowAboveCm), "firstDrainageAfterDays": .number(firstDrainageAfterDays),
                "readingCoversMinutes": .number(readingCoversMinutes), "minCoverage": .number(minCoverage)
            ])
        ])
    }
}

extension RiceSeason {
    public var json: JSONValue {
        .object([
            "plot": .string(plot),
            "start": .string(EPCISTimestamp.format(start)),
            "transplant": transplant.map { .string(EPCISTimestamp.format($0)) } ?? .null,
            "harvest": harvest.map { .string(EPCISTimestamp.format($0)) } ?? .null,
            "end": .string(EPCISTimestamp.format(end))
        ])
    }
}
