import FoundationEssentials

extension DeviceProfile {
    /// Decoders the core can run: "json" (values are named in the message) and the byte
    /// decoders of LoRaWAN sensors (used on ChirpStack and The Things Stack raw uplinks).
    public static let knownDecoders = ["json"] + ByteDecoder.allCases.map(\.rawValue)

    /// Reads `profile.toml`. Keys: `model`, `manufacturer`, `category`, `decoder` (default
    /// "json"), `time_field`, `datasheet`, and `[[quantities]]` with `name`, `unit` (a UN/ECE
    /// Rec 20 code), `min`, `max`, `field` (default: the quantity's name), `measurement` (a
    /// CBV measurement type; default implied by the unit), `scale` and `offset` (the model's
    /// conversion to the unit; default 1 and 0).
    public static func parse(text: String, id: String, file: String) throws(ConfigErrors) -> DeviceProfile {
        let document = try TOMLDocument(text: text, file: file)
        let root = document.rootSection
        let model = root.requiredString("model") ?? ""
        let manufacturer = root.requiredString("manufacturer") ?? ""
        let category = root.requiredString("category") ?? ""
        _ = root.string("datasheet")
        let decoder = root.choice("decoder", knownDecoders) ?? "json"
        let timeField = root.string("time_field")
        var quantities: [Quantity] = []
        let entries = root.sections("quantities")
        if entries.isEmpty { root.fail("quantities", "missing: a profile needs at least one [[quantities]] entry") }
        for entry in entries {
            if let quantity = Quantity.read(entry) {
                if quantities.contains(where: { $0.name == quantity.name }) {
                    entry.fail("name", "quantity \"\(quantity.name)\" is listed twice")
                }
                quantities.append(quantity)
            }
        }
        root.rejectUnknownKeys()
        try document.throwIfErrors()
        return DeviceProfile(
            id: id, model: model, manufacturer: manufacturer, category: category,
            decoder: decoder, timeField: timeField, quantities: quantities)
    }
}

extension DeviceProfile.Quantity {
    static func read(_ section: TOMLSection) -> Self? {
        let name = section.requiredString("name")
        let unit = section.requiredString("unit")
        let min = section.double("min")
        let max = section.double("max")
        if !section.has("min") { section.fail("min", "missing: the lowest valid value is required") }
        if !section.has("max") { section.fail("max", "missing: the highest valid value is required") }
        let field = section.string("field")
        let measurement = section.string("measurement")
        if let measurement, !MeasurementType.known.contains(measurement) {
            section.fail("measurement", "\"\(measurement)\" is not a CBV measurement type (for example Temperature, RelativeHumidity, VolumeFraction, Length)")
        }
        if let unit, UnitCode.name(of: unit) == nil {
            section.fail("unit", "\"\(unit)\" is not a UN/ECE Rec 20 code Sawah knows; known: \(UnitCode.all.joined(separator: ", "))")
        }
        if let min, let max, min >= max {
            section.fail("max", "must be greater than min (\(min))")
        }
        let scale = section.double("scale") ?? 1
        let offset = section.double("offset") ?? 0
        if scale == 0 { section.fail("scale", "must not be 0 (every reading would be the offset)") }
        let calibrationRequired = section.string("calibration_required")
        if let calibrationRequired, calibrationRequired.allSatisfy(\.isWhitespace) {
            section.fail("calibration_required", "must say what the site calibration gives (for example the mounting height)")
        }
        section.rejectUnknownKeys()
        guard let name, let unit, let min, let max else { return nil }
        return Self(
            name: name, unit: unit, min: min, max: max, field: field ?? name,
            measurement: measurement ?? MeasurementType.implied(byUnit: unit), scale: scale, offset: offset,
            calibrationRequired: calibrationRequired)
    }
}
