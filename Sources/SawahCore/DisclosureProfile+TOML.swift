extension DisclosureProfile {
    /// Keys of `[platforms.disclosure]`: `location` ("exact" | "geohash:<1…12>" |
    /// "grid:<degrees>" | "facility-only" (default) | "none"), `series` ("raw" (default) |
    /// "aggregate:<interval>", the interval as 15m, 1h, 1d or seconds), `quantities` and `lots`
    /// (default all), `device_ids` ("keep" (default) | "pseudonym"), `terms` (a URI).
    /// `platformURL` and the lots configured are what the profile is checked against: exact
    /// coordinates never go over plain HTTP, and a lot it names must exist.
    static func read(_ section: TOMLSection, platformURL: String, lots known: [String]) -> DisclosureProfile {
        var profile = DisclosureProfile()
        if let text = section.string("location") {
            if let location = Self.location(text) {
                profile.location = location
            } else {
                section.fail(
                    "location",
                    "expected \"exact\", \"geohash:<precision 1-12>\", \"grid:<degrees, 0.0001-10>\", \"facility-only\" or \"none\", found \"\(text)\"")
            }
        }
        if profile.location == .exact && platformURL.hasPrefix("http://") {
            section.fail("location", "exact coordinates are personal data: they go to a platform over https:// only, not \(platformURL)")
        }
        if let text = section.string("series") {
            if text == "raw" {
                profile.series = .raw
            } else if text.hasPrefix("aggregate:"), let seconds = Self.seconds(String(text.dropFirst("aggregate:".count))), (60...86_400).contains(seconds) {
                profile.series = .aggregate(seconds: seconds)
            } else {
                section.fail("series", "expected \"raw\" or \"aggregate:<interval from 1m to 1d>\" such as \"aggregate:1h\", found \"\(text)\"")
            }
        }
        if let quantities = section.strings("quantities") {
            if quantities.isEmpty { section.fail("quantities", "an empty list sends nothing; leave the key out to send every quantity") }
            profile.quantities = quantities
        }
        if let lots = section.strings("lots") {
            for lot in lots where !known.contains(lot) { section.fail("lots", "no lot \(lot) in [[traceability.lots]]") }
            if lots.isEmpty { section.fail("lots", "an empty list sends nothing; leave the key out to send every lot") }
            profile.lots = lots
        }
        if let text = section.string("device_ids") {
            switch text {
            case "keep": profile.pseudonymousDevices = false
            case "pseudonym": profile.pseudonymousDevices = true
            default: section.fail("device_ids", "expected \"keep\" or \"pseudonym\", found \"\(text)\"")
            }
        }
        if let terms = section.string("terms") {
            if TraceabilityConfiguration.isURI(terms) { profile.terms = terms } else { section.fail("terms", "expected a URI, found \"\(terms)\"") }
        }
        section.rejectUnknownKeys()
        return profile
    }

    /// "15m", "1h", "1d", "90s" or a number of seconds.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        if let last = text.last, let unit = units[last], let count = Int(text.dropLast()), count > 0 { return count * unit }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
