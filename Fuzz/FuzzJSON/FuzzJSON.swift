import FuzzSupport
import SawahCore
import SawahTraceability

/// The strict JSON parser, and the serialiser used for signed content: whatever parses must
/// serialise to text that parses back to the same value, and serialising that again must give
/// the same bytes (a canonical form has one spelling).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let value = try? JSONValue.parse(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let text = JSONText.serialize(value)
    guard let again = try? JSONValue.parse(Array(text.utf8)) else { fatalError("serialised JSON does not parse: \(text.prefix(200))") }
    guard again == value else { fatalError("round trip changed the value: \(text.prefix(200))") }
    guard JSONText.serialize(again) == text else { fatalError("serialisation is not stable: \(text.prefix(200))") }
    return 0
}

@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzJSON)
}
