extension TraceabilityConfiguration {
    /// Keys of `[traceability]`: `issuer_name` (required), `farm`, `time_zone_offset`
    /// ("+00:00"), `seal_interval_seconds` (3600), `seal_max_readings` (5000), `identity_key`
    /// ("<data_dir>/identity.pem"), `did_web`; `[[traceability.lots]]` with `id`, `name`,
    /// `plot` (required), `plot_coordinates`, `sensors` (required); `[traceability.alarms]`
    /// with `quantity = { min = …, max = … }`.
    static func read(_ section: TOMLSection, config: GatewayConfiguration) -> TraceabilityConfiguration {
        var result = TraceabilityConfiguration(
            issuerName: section.requiredString("issuer_name") ?? "",
            identityKeyFile: config.dataDirectory + "/identity.pem")
        if let farm = section.string("farm") {
            if isURI(farm) {
                result.farm = farm
            } else {
                section.fail("farm", "expected a URI (a GS1 Digital Link such as https://id.gs1.org/414/{GLN}, or a URN), found \"\(farm)\"")
            }
        }
        if let offset = section.string("time_zone_offset") {
            if isOffset(offset) {
                result.timeZoneOffset = offset
            } else {
                section.fail("time_zone_offset", "expected ±HH:MM such as \"+07:00\", found \"\(offset)\"")
            }
        }
        if let seconds = section.int("seal_interval_seconds", range: 1...604_800) { result.sealIntervalSeconds = seconds }
        if let count = section.int("seal_max_readings", range: 1...1_000_000) { result.sealMaxReadings = count }
        if let key = section.string("identity_key") { result.identityKeyFile = config.resolve(key) }
        if let didWeb = section.string("did_web") {
            if didWeb.hasPrefix("did:web:") { result.didWeb = didWeb } else { section.fail("did_web", "expected did:web:<domain>…, found \"\(didWeb)\"") }
        }
        let known = Set(config.sensors.map(\.id))
        var claimed: [String: String] = [:]
        for entry in section.sections("lots") {
            guard let id = entry.requiredString("id"), let name = entry.requiredString("name"), let plot = entry.requiredString("plot") else { continue }
            if !isURI(id) { entry.fail("id", "expected a URI (https://id.gs1.org/01/{GTIN}/10/{lot}, or a URN), found \"\(id)\"") }
            if !isURI(plot) { entry.fail("plot", "expected a URI (https://id.gs1.org/414/{GLN}, or a URN), found \"\(plot)\"") }
            let sensors = entry.strings("sensors") ?? []
            if sensors.isEmpty { entry.fail("sensors", "missing: a lot needs the sensors that speak for it") }
            for sensor in sensors {
                if !known.contains(sensor) { entry.fail("sensors", "no sensor \"\(sensor)\" in [[sensors]]") }
                if let other = claimed[sensor], other != id { entry.fail("sensors", "sensor \"\(sensor)\" already speaks for lot \(other)") }
                claimed[sensor] = id
            }
            let lot = Lot(id: id, name: name, plot: plot, plotCoordinates: entry.string("plot_coordinates"), sensors: sensors)
            if lot.plotCoordinates != nil {
                if let position = lot.coordinates, (-90...90).contains(position.latitude), (-180...180).contains(position.longitude) {
                } else {
                    entry.fail(
                        "plot_coordinates",
                        "expected \"latitude,longitude\" in degrees (WGS 84), such as \"6.1235,100.3673\", found \"\(lot.plotCoordinates!)\"")
                }
            }
            result.lots.append(lot)
            entry.rejectUnknownKeys()
        }
        if let alarms = section.section("alarms") {
            for quantity in alarms.keys {
                guard let limits = alarms.section(quantity) else { continue }
                let low = limits.double("min") ?? -Double.infinity
                let high = limits.double("max") ?? Double.infinity
                if low >= high { limits.fail("max", "must be above min") } else { result.alarms[quantity] = low...high }
                limits.rejectUnknownKeys()
            }
        }
        section.rejectUnknownKeys()
        return result
    }

    static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        return !text.contains(" ") && text[..<colon].allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    static func isOffset(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == 0x2b || bytes[0] == 0x2d, bytes[3] == 0x3a else { return false }
        return [1, 2, 4, 5].allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
    }
}
