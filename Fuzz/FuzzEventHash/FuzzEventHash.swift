import FuzzSupport
import SawahCore
import SawahTraceability

/// The CBV 2.0 canonical event hash on arbitrary JSON (seeded with the GS1 reference vectors'
/// events): it must not trap, and the same event must hash to the same id twice.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventHash(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let value = try? JSONValue.parse(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let hasher = EventHash(context: value.value(at: "@context"))
    let event = value.value(at: "epcisBody.eventList.0") ?? value
    let first = hasher.eventID(for: event)
    guard first.hasPrefix("ni:///sha-256;"), hasher.eventID(for: event) == first else { fatalError("unstable event hash: \(first)") }
    return 0
}

@_cdecl("FuzzEventHash_main")
public func fuzzEventHashMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzEventHash)
}
