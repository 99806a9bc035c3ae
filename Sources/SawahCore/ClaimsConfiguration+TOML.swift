extension ClaimsConfiguration {
    /// Keys of `[claims]`: `[[claims.awd]]` with `plot` and `level_sensor`;
    /// `[[claims.cold_treatment]]` with `lot`, `schedule` ("usda-ppq-t107-a"), `probes`
    /// (`[{ sensor, placement = "pulp" | "air" }]`), `exporter`, `exporter_name`;
    /// `[[claims.schedules]]` with `id`, `rows` (`[{ max_celsius, days }]`),
    /// `restart_above_celsius`, `min_pulp_probes` (3), `max_interval_minutes` (65).
    /// Every sensor named must speak for a lot, or its readings would never be sealed.
    static func read(_ section: TOMLSection, config: GatewayConfiguration) -> ClaimsConfiguration {
        var result = ClaimsConfiguration()
        let lots = config.traceability?.lots ?? []
        if config.traceability == nil { section.fail(nil, "claims rest on sealed readings: add a [traceability] table") }
        func sealed(_ sensor: String, _ entry: TOMLSection, _ key: String) {
            if !config.sensors.contains(where: { $0.id == sensor }) {
                entry.fail(key, "no sensor \"\(sensor)\" in [[sensors]]")
            } else if config.traceability != nil && !lots.contains(where: { $0.sensors.contains(sensor) }) {
                entry.fail(key, "sensor \"\(sensor)\" speaks for no [[traceability.lots]] entry, so its readings are never sealed")
            }
        }
        for entry in section.sections("schedules") {
            guard let id = entry.requiredString("id"), let restart = entry.double("restart_above_celsius", range: -50...50) else { continue }
            var rows: [ColdTreatmentSchedule.Row] = []
            for (position, row) in entry.sections("rows").enumerated() {
                guard let celsius = row.double("max_celsius", range: -50...50), let days = row.double("days", range: 0.5...365) else { continue }
                if let last = rows.last, celsius <= last.maxCelsius || days <= last.days {
                    entry.fail("rows", "row \(position + 1) must allow a warmer temperature for longer than the row before it")
                }
                rows.append(.init(maxCelsius: celsius, days: days))
                row.rejectUnknownKeys()
            }
            if rows.isEmpty { entry.fail("rows", "missing: a schedule needs at least one { max_celsius, days } row") }
            if result.schedules.contains(where: { $0.id == id }) { entry.fail("id", "schedule \"\(id)\" is defined twice") }
            result.schedules.append(
                ColdTreatmentSchedule(
                    id: id, rows: rows, restartAboveCelsius: restart, minPulpProbes: entry.int("min_pulp_probes", range: 1...64) ?? 3,
                    maxIntervalMinutes: entry.double("max_interval_minutes", range: 1...1_440) ?? 65))
            entry.rejectUnknownKeys()
        }
        for entry in section.sections("awd") {
            guard let plot = entry.requiredString("plot"), let sensor = entry.requiredString("level_sensor") else { continue }
            if !TraceabilityConfiguration.isURI(plot) { entry.fail("plot", "expected a URI (https://id.gs1.org/414/{GLN}, or a URN), found \"\(plot)\"") }
            sealed(sensor, entry, "level_sensor")
            if result.awd.contains(where: { $0.plot == plot }) { entry.fail("plot", "plot \(plot) is listed twice") }
            result.awd.append(.init(plot: plot, levelSensor: sensor))
            entry.rejectUnknownKeys()
        }
        for entry in section.sections("cold_treatment") {
            guard let lot = entry.requiredString("lot"), let exporter = entry.requiredString("exporter"),
                let exporterName = entry.requiredString("exporter_name")
            else { continue }
            if config.traceability != nil && !lots.contains(where: { $0.id == lot }) { entry.fail("lot", "no lot \(lot) in [[traceability.lots]]") }
            if !TraceabilityConfiguration.isURI(exporter) {
                entry.fail("exporter", "expected a URI (https://id.gs1.org/414/{GLN}, or a URN), found \"\(exporter)\"")
            }
            let schedule = entry.string("schedule") ?? ColdTreatmentSchedule.t107a.id
            var probes: [ColdTreatment.Probe] = []
            for probe in entry.sections("probes") {
                guard let sensor = probe.requiredString("sensor"), let placement = probe.requiredString("placement") else { continue }
                if placement != "pulp" && placement != "air" {
                    probe.fail("placement", "expected \"pulp\" (in the fruit) or \"air\", found \"\(placement)\"")
                }
                sealed(sensor, probe, "sensor")
                if probes.contains(where: { $0.sensor == sensor }) { probe.fail("sensor", "probe \"\(sensor)\" is listed twice") }
                probes.append(.init(sensor: sensor, placement: placement))
                probe.rejectUnknownKeys()
            }
            if probes.isEmpty { entry.fail("probes", "missing: a treatment needs its probes, [{ sensor = \"…\", placement = \"pulp\" }]") }
            result.coldTreatments.append(.init(lot: lot, schedule: schedule, probes: probes, exporter: exporter, exporterName: exporterName))
            entry.rejectUnknownKeys()
        }
        // Checked once every schedule is read, so a lot may name one defined after it.
        for (position, entry) in section.sections("cold_treatment").enumerated() where position < result.coldTreatments.count {
            let treatment = result.coldTreatments[position]
            guard let schedule = result.schedule(treatment.schedule) else {
                entry.fail("schedule", "no schedule \"\(treatment.schedule)\"; known: \(result.schedules.map(\.id).joined(separator: ", "))")
                continue
            }
            let pulp = treatment.probes.filter { $0.placement == "pulp" }.count
            if pulp < schedule.minPulpProbes {
                entry.fail("probes", "schedule \(schedule.id) needs at least \(schedule.minPulpProbes) pulp probes, found \(pulp)")
            }
        }
        section.rejectUnknownKeys()
        return result
    }
}
