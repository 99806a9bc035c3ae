import Foundation

/// Readings shaped like a lowland rice plot in the tropics: air 24–33 °C with a daily swing,
/// humidity mirroring it, soil temperature lagging and damped, soil moisture drying slowly
/// and jumping after rain, dew on the leaves at night, occasional showers in the afternoon.
struct FieldNodeSimulator {
    struct Message {
        var topic: String
        var payload: String
    }

    private var time: Date
    private var moisture = 38.0
    private var rng = SystemRandomNumberGenerator()

    init(startTime: Date) {
        time = startTime
    }

    mutating func nextRound(advancingMinutes minutes: Double) -> [Message] {
        time.addTimeInterval(minutes * 60)
        let hour =
            Double(Calendar(identifier: .gregorian).component(.hour, from: time))
            + Double(Calendar(identifier: .gregorian).component(.minute, from: time)) / 60
        let daily = sin((hour - 9) / 24 * 2 * .pi)  // peaks mid-afternoon
        let air = 28.5 + 4.5 * daily + noise(0.3)
        let humidity = min(100, max(45, 80 - 15 * daily + noise(2)))
        let soil = 27 + 1.5 * sin((hour - 12) / 24 * 2 * .pi) + noise(0.1)
        let raining = hour > 14 && hour < 18 && Double.random(in: 0..<1, using: &rng) < 0.25
        let tips = raining ? Int.random(in: 1...12, using: &rng) : 0
        moisture = min(60, max(18, moisture - 0.05 * minutes / 10 + Double(tips) * 0.4))
        let wetness = humidity > 92 || raining ? min(100, 60 + noise(20).magnitude) : max(0, noise(3))
        // The curve follows the simulated clock; the timestamp is the real one, as a node's RTC would give.
        let stamp = Int(Date().timeIntervalSince1970)
        return [
            Message(topic: "farm/plot1/soil-temp", payload: "{\"temperature\": \(r(soil, 2)), \"time\": \(stamp)}"),
            Message(topic: "farm/plot1/soil-moisture", payload: "{\"moisture\": \(r(moisture, 1))}"),
            Message(
                topic: "farm/station/air",
                payload: "{\"temperature\": \(r(air, 1)), \"humidity\": \(r(humidity, 1)), \"pressure\": \(r(1009 + noise(0.8), 1)), \"time\": \(stamp)}"),
            Message(topic: "farm/station/rain", payload: "{\"tips\": \(tips)}"),
            Message(topic: "farm/plot1/leaf", payload: "{\"wetness\": \(r(wetness, 1))}")
        ]
    }

    private mutating func noise(_ scale: Double) -> Double {
        Double.random(in: -scale...scale, using: &rng)
    }

    private func r(_ value: Double, _ places: Int) -> Double {
        let factor = pow(10, Double(places))
        return (value * factor).rounded() / factor
    }
}
