import FuzzSupport

@testable import SawahCore

/// The payload normaliser for every format, with real profiles from devices/: the first byte
/// picks the format and profile, the rest is the payload. It must never trap, and whatever it
/// yields must be finite readings inside the profile's range or a named problem.
nonisolated(unsafe) private let library = try? DeviceLibrary.load(directory: "devices")
private let cases: [(PayloadFormat, String, String, [String: String])] = [
    (.json, "bme280", "farm/station/air", [:]),
    (.json, "tipping-bucket-rain-gauge", "farm/rain", ["rainfall": "tips"]),
    (.esphome, "ds18b20", "plot-node/sensor/soil_temperature/state", [:]),
    (.tasmota, "sht31", "tele/plot-node/SENSOR", ["air_temperature": "SHT3X.Temperature", "relative_humidity": "SHT3X.Humidity"]),
    (.chirpstack, "dragino-lse01", "application/1/device/a84041/event/up", [:]),
    (.ttn, "dragino-lht65", "v3/app@ttn/devices/lht65/up", [:])
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNormaliser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0, let library else { return 0 }
    let (format, profileID, topic, fields) = cases[Int(data[0]) % cases.count]
    guard let profile = library.profiles[profileID] else { fatalError("devices/\(profileID) is missing: run from the project root") }
    var sensor = GatewayConfiguration.Sensor(id: "fuzz", profile: profileID, topic: topic)
    sensor.format = format
    sensor.fields = fields
    let payload = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let outcome = PayloadNormaliser(sensor: sensor, profile: profile).normalise(payload: payload, source: topic, receivedAt: 1_764_403_200_000)
    checkReadingInvariants(outcome, profile: profile, profileID: profileID)
    return 0
}

@_cdecl("FuzzNormaliser_main")
public func fuzzNormaliserMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzNormaliser)
}
