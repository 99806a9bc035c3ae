/// Interval statistics of one quantity from one device, as an EPCIS sensorReport carries them.
public struct SensorStatistics: Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 for a single reading.
    public var sDev: Double

    /// Welford's algorithm: one pass, numerically stable for long series.
    public init?(_ values: some Sequence<Double>) {
        var count = 0
        var mean = 0.0
        var m2 = 0.0
        var low = Double.infinity
        var high = -Double.infinity
        for value in values {
            count += 1
            let delta = value - mean
            mean += delta / Double(count)
            m2 += delta * (value - mean)
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        guard count > 0 else { return nil }
        self.count = count
        self.min = low
        self.max = high
        self.mean = mean
        self.sDev = count > 1 ? (m2 / Double(count - 1)).squareRoot() : 0
    }

    /// Rounded for publication: statistics carry no more precision than the sensor.
    public func rounded(places: Int) -> SensorStatistics {
        var copy = self
        let factor = pow10(places)
        copy.min = (min * factor).rounded() / factor
        copy.max = (max * factor).rounded() / factor
        copy.mean = (mean * factor).rounded() / factor
        copy.sDev = (sDev * factor).rounded() / factor
        return copy
    }

    private func pow10(_ places: Int) -> Double {
        var result = 1.0
        for _ in 0..<places { result *= 10 }
        return result
    }
}
