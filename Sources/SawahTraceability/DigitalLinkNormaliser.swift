/// Turns identifiers into the constrained canonical GS1 Digital Link form the CBV 2.0 event
/// hash requires: EPC URNs (`urn:epc:id:sgtin:…`, `sscc`, `sgln`, `grai`, `giai`) become
/// `https://id.gs1.org/…` URIs with check digits, and Digital Link URIs on any domain move to
/// `id.gs1.org`, lose their query string and keep only the finest identification level.
enum DigitalLinkNormaliser {
    /// The canonical form, or nil when `uri` carries no GS1 key this understands.
    static func normalise(_ uri: String) -> String? {
        if uri.hasPrefix("urn:epc:id:") { return fromEPC(uri) }
        if uri.hasPrefix("https://") || uri.hasPrefix("http://") { return fromWebURI(uri) }
        return nil
    }

    /// GS1 mod-10 check digit over the digits of `key`.
    static func checkDigit(_ key: String) -> Character {
        var sum = 0
        for (position, character) in key.reversed().enumerated() {
            let digit = Int(character.asciiValue ?? 48) - 48
            sum += position % 2 == 0 ? digit * 3 : digit
        }
        return Character(String((10 - sum % 10) % 10))
    }

    private static func fromEPC(_ uri: String) -> String? {
        let parts = uri.dropFirst("urn:epc:id:".count).split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let fields = parts[1].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func digits(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) }
        switch parts[0] {
        case "sgtin" where fields.count == 3 && digits(fields[0]) && digits(fields[1]) && fields[0].count + fields[1].count == 13:
            let item = fields[1]
            let gtin = String(item.prefix(1)) + fields[0] + String(item.dropFirst())
            return "https://id.gs1.org/01/\(gtin)\(checkDigit(gtin))/21/\(percentEncode(fields[2]))"
        case "sscc" where fields.count == 2 && digits(fields[0]) && digits(fields[1]) && fields[0].count + fields[1].count == 17:
            let serial = fields[1]
            let sscc = String(serial.prefix(1)) + fields[0] + String(serial.dropFirst())
            return "https://id.gs1.org/00/\(sscc)\(checkDigit(sscc))"
        case "sgln" where fields.count == 3 && digits(fields[0]) && fields[0].count + fields[1].count == 12:
            let gln = fields[0] + fields[1]
            let base = "https://id.gs1.org/414/\(gln)\(checkDigit(gln))"
            return fields[2] == "0" ? base : "\(base)/254/\(percentEncode(fields[2]))"
        case "grai" where fields.count == 3 && digits(fields[0]) && fields[0].count + fields[1].count == 12:
            let grai = "0" + fields[0] + fields[1]
            return "https://id.gs1.org/8003/\(grai)\(checkDigit(grai))\(percentEncode(fields[2]))"
        case "giai" where fields.count == 2 && digits(fields[0]):
            return "https://id.gs1.org/8004/\(fields[0])\(percentEncode(fields[1]))"
        default:
            return nil
        }
    }

    /// Primary keys, with the qualifiers that may follow each in the constrained form.
    private static let primaryKeys: [String: Set<String>] = [
        "00": [], "01": ["21", "10", "235"], "253": [], "255": [], "401": [], "402": [],
        "414": ["254"], "417": [], "8003": [], "8004": [], "8006": ["21", "10"], "8010": ["8011"],
        "8017": [], "8018": []
    ]

    private static func fromWebURI(_ uri: String) -> String? {
        let afterScheme = uri.drop { $0 != ":" }.dropFirst(3)
        guard let slash = afterScheme.firstIndex(of: "/") else { return nil }
        var path = afterScheme[slash...]
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        // A Digital Link may sit under a path prefix on a custom domain: find the primary key.
        guard let start = segments.firstIndex(where: { primaryKeys[$0] != nil }) else { return nil }
        segments = Array(segments[start...])
        guard segments.count >= 2, !segments[1].isEmpty, let qualifiers = primaryKeys[segments[0]] else { return nil }
        var pairs: [String: String] = [:]
        var rest = segments.dropFirst(2)
        while rest.count >= 2, let key = rest.first, let value = rest.dropFirst().first {
            pairs[key] = value
            rest = rest.dropFirst(2)
        }
        var result = "https://id.gs1.org/\(segments[0])/\(segments[1])"
        // The finest level wins: a serial over a lot.
        if let key = ["21", "235", "254", "8011", "10"].first(where: { qualifiers.contains($0) && pairs[$0] != nil }) {
            result += "/\(key)/\(pairs[key]!)"
        }
        return result
    }

    private static func percentEncode(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "!": result += "%21"
            case "(": result += "%28"
            case ")": result += "%29"
            case "*": result += "%2A"
            case "+": result += "%2B"
            case ",": result += "%2C"
            case ":": result += "%3A"
            default: result.append(character)
            }
        }
        return result
    }
}
