/// The UN/ECE Recommendation 20 unit codes that farm sensors report in, with their symbols.
/// EPCIS sensor reports and the UNTP vocabulary both use these codes.
public enum UnitCode {
    private static let table: [String: String] = [
        "CEL": "°C",
        "FAH": "°F",
        "KEL": "K",
        "P1": "%",
        "MMT": "mm",
        "CMT": "cm",
        "MTR": "m",
        "PAL": "Pa",
        "KPA": "kPa",
        "A97": "hPa",
        "MTS": "m/s",
        "KMH": "km/h",
        "DD": "°",
        "LUX": "lx",
        "D54": "W/m²",
        "LTR": "L",
        "L2": "L/min",
        "MQH": "m³/h",
        "C62": "1",
        "VLT": "V",
        "2Q": "kV",
        "AMP": "A",
        "H61": "mS/cm",
        "G42": "µS/cm",
        "NA": "mg/kg",
        "M1": "mg/L",
        "59": "ppm",
        "HUR": "h",
        "SEC": "s"
    ]

    /// The symbol for a code, or nil for a code Sawah does not know.
    public static func name(of code: String) -> String? { table[code] }

    /// Every known code, sorted.
    public static var all: [String] { table.keys.sorted() }

    /// The symbol Home Assistant and people expect, falling back to the code itself.
    public static func symbol(of code: String) -> String { table[code] ?? code }
}
