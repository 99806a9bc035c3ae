extension DisclosureProfile {
    /// Reads a profile back from its canonical text (`canonicalText`), as a derived credential
    /// carries it; nil unless the text is exactly a canonical profile.
    public init?(canonicalText text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let keys = ["location", "series", "quantities", "lots", "device_ids", "terms"]
        guard lines.count == keys.count else { return nil }
        var values: [String: String] = [:]
        for (line, key) in zip(lines, keys) {
            guard line.hasPrefix(key + "=") else { return nil }
            values[key] = String(line.dropFirst(key.count + 1))
        }
        self.init()
        guard let location = Self.location(values["location"]!) else { return nil }
        self.location = location
        switch values["series"]! {
        case "raw": series = .raw
        case let text where text.hasPrefix("aggregate:") && text.hasSuffix("s"):
            guard let seconds = Int(text.dropFirst("aggregate:".count).dropLast()), seconds > 0 else { return nil }
            series = .aggregate(seconds: seconds)
        default: return nil
        }
        func list(_ text: String) -> [String]? { text == "*" ? nil : text.split(separator: ",").map(String.init) }
        quantities = list(values["quantities"]!)
        lots = list(values["lots"]!)
        switch values["device_ids"]! {
        case "keep": pseudonymousDevices = false
        case "pseudonym": pseudonymousDevices = true
        default: return nil
        }
        terms = values["terms"]!.isEmpty ? nil : values["terms"]
        // Only the one spelling: what was read must write back to the same text.
        guard canonicalText == text else { return nil }
    }

    /// "exact", "geohash:<1-12>", "grid:<degrees>", "facility-only" or "none".
    static func location(_ text: String) -> Location? {
        switch text {
        case "exact": return .exact
        case "facility-only": return .facilityOnly
        case "none": return .none
        default:
            if text.hasPrefix("geohash:"), let precision = Int(text.dropFirst("geohash:".count)), (1...12).contains(precision) {
                return .geohash(precision: precision)
            }
            if text.hasPrefix("grid:"), let degrees = Double(text.dropFirst("grid:".count)), degrees.isFinite, (0.0001...10).contains(degrees) {
                return .grid(degrees: degrees)
            }
            return nil
        }
    }
}
