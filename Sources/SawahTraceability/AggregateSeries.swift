import SawahCore

/// A batch's readings as interval aggregates, what a platform whose disclosure profile says
/// `series = "aggregate:<interval>"` receives instead of every reading (GS1's EPCIS guideline
/// recommends such statistics for sensor data).
///
/// Format `sawah-aggregate-series/1`, UTF-8, one line per sensor, quantity and interval,
/// `\n` after every line:
/// ```
/// sawah-aggregate-series/1
/// sensor,quantity,unit,start,end,count,min,max,mean
/// plot1-soil-temp,soil_temperature,CEL,2026-11-29T06:00:00.000Z,2026-11-29T07:00:00.000Z,12,24.5,25.25,24.875
/// ```
/// Intervals are aligned to 1970 (`start` a multiple of the interval), `end` exclusive;
/// lines sorted by sensor, quantity, start; numbers in the raw series' form; `mean` the sum of
/// the values in seq order divided by `count`. Anyone holding the raw series rebuilds these
/// bytes exactly.
public enum AggregateSeries {
    public static let mediaType = "text/csv"
    public static let header = "sawah-aggregate-series/1\nsensor,quantity,unit,start,end,count,min,max,mean\n"

    /// The aggregates of `rows` (in seq order) over intervals of `seconds`.
    public static func serialize(_ rows: [RawSeries.Row], seconds: Int) -> [UInt8] {
        let width = Int64(seconds) * 1_000
        struct Key: Hashable, Comparable {
            var sensor: String
            var quantity: String
            var unit: String
            var start: Int64
            static func < (a: Key, b: Key) -> Bool { (a.sensor, a.quantity, a.unit, a.start) < (b.sensor, b.quantity, b.unit, b.start) }
        }
        var groups: [Key: (count: Int, min: Double, max: Double, sum: Double)] = [:]
        for row in rows.sorted(by: { $0.seq < $1.seq }) {
            let reading = row.reading
            let start = floorDivide(reading.observedAt, width) * width
            let key = Key(sensor: reading.sensor, quantity: reading.quantity, unit: reading.unit, start: start)
            if let group = groups[key] {
                groups[key] = (group.count + 1, Swift.min(group.min, reading.value), Swift.max(group.max, reading.value), group.sum + reading.value)
            } else {
                groups[key] = (1, reading.value, reading.value, reading.value)
            }
        }
        var text = header
        for key in groups.keys.sorted() {
            let group = groups[key]!
            text += "\(key.sensor),\(key.quantity),\(key.unit),\(EPCISTimestamp.format(key.start)),\(EPCISTimestamp.format(key.start + width)),"
            text += "\(group.count),\(HashNumberFormat.format(group.min)),\(HashNumberFormat.format(group.max)),"
            text += "\(HashNumberFormat.format(group.sum / Double(group.count)))\n"
        }
        return Array(text.utf8)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }
}
