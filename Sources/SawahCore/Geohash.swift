/// Geohash (G. Niemeyer, 2008): a point as a base-32 string whose every character narrows the
/// cell, longitude and latitude bits interleaved. Used to coarsen a plot's location to a cell
/// (`disclosure.location = "geohash:5"`, about 4.9 × 4.9 km); H3 is not packaged for Debian 12.
public enum Geohash {
    static let alphabet = Array("0123456789bcdefghjkmnpqrstuvwxyz".utf8)

    /// The cell of `precision` characters (1…12) holding the point.
    public static func encode(latitude: Double, longitude: Double, precision: Int) -> String {
        var latitudeRange = (-90.0, 90.0)
        var longitudeRange = (-180.0, 180.0)
        var text: [UInt8] = []
        var bits = 0
        var value = 0
        var even = true
        while text.count < precision {
            let upper =
                even
                ? narrow(&longitudeRange, upper: longitude >= (longitudeRange.0 + longitudeRange.1) / 2)
                : narrow(&latitudeRange, upper: latitude >= (latitudeRange.0 + latitudeRange.1) / 2)
            value = value << 1 | (upper ? 1 : 0)
            even.toggle()
            bits += 1
            if bits == 5 {
                text.append(alphabet[value])
                bits = 0
                value = 0
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The cell a geohash names, or nil when it holds a character outside the alphabet.
    public static func cell(_ hash: String) -> (latitude: ClosedRange<Double>, longitude: ClosedRange<Double>)? {
        var latitude = (-90.0, 90.0)
        var longitude = (-180.0, 180.0)
        var even = true
        for character in hash.utf8 {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            for shift in stride(from: 4, through: 0, by: -1) {
                let bit = (index >> shift) & 1 == 1
                _ = even ? narrow(&longitude, upper: bit) : narrow(&latitude, upper: bit)
                even.toggle()
            }
        }
        return (latitude.0...latitude.1, longitude.0...longitude.1)
    }

    /// Keeps the upper or the lower half of `range`; returns `upper`, the bit that says which.
    private static func narrow(_ range: inout (Double, Double), upper: Bool) -> Bool {
        let middle = (range.0 + range.1) / 2
        if upper { range.0 = middle } else { range.1 = middle }
        return upper
    }

    /// The centre of the cell holding the point: what a coarsened location reports.
    public static func centre(latitude: Double, longitude: Double, precision: Int) -> (latitude: Double, longitude: Double) {
        let bounds = cell(encode(latitude: latitude, longitude: longitude, precision: precision))!
        return ((bounds.latitude.lowerBound + bounds.latitude.upperBound) / 2, (bounds.longitude.lowerBound + bounds.longitude.upperBound) / 2)
    }
}
