import FoundationEssentials
import FuzzSupport

@testable import SawahCore

/// The LoRaWAN byte decoders on raw uplink bytes, reached the way the gateway reaches them: a
/// ChirpStack v4 uplink event whose `data` is the bytes (base64) on the port the first input
/// byte picks. Truncated, padded or nonsense frames must come back as a named problem, never a
/// trap or an out-of-range reading.
nonisolated(unsafe) private let library = try? DeviceLibrary.load(directory: "devices")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzByteDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 1, let library else { return 0 }
    let profileID = data[0] & 1 == 0 ? "dragino-lse01" : "dragino-lht65"
    guard let profile = library.profiles[profileID] else { fatalError("devices/\(profileID) is missing: run from the project root") }
    let port = Int(data[1] % 4) + 1
    let frame = Data(UnsafeBufferPointer(start: data + 2, count: size - 2)).base64EncodedString()
    let uplink = #"{"time":"2026-12-01T00:00:00Z","fPort":\#(port),"data":"\#(frame)","rxInfo":[{"rssi":-90,"snr":7.5}]}"#
    var sensor = GatewayConfiguration.Sensor(id: "fuzz", profile: profileID, topic: "application/1/device/x/event/up")
    sensor.format = .chirpstack
    let outcome = PayloadNormaliser(sensor: sensor, profile: profile).normalise(
        payload: Array(uplink.utf8), source: sensor.topic, receivedAt: 1_764_403_200_000)
    checkReadingInvariants(outcome, profile: profile, profileID: profileID)
    return 0
}

@_cdecl("FuzzByteDecoder_main")
public func fuzzByteDecoderMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzByteDecoder)
}
