import FuzzSupport
import SawahCore
import SawahTraceability

/// A certificate bundle as the platform receives it (transfer JSON), parsed and verified in
/// full. It must never trap, and libFuzzer's -timeout bounds the time one input may take
/// (scripts/fuzz sets it), so a hostile bundle that is costly to check is found too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let bundle = try? CertificateBundle(transferJSON: Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let (failures, signer) = CertificateVerifier().verify(bundle, previous: nil)
    if failures.isEmpty && signer == nil { fatalError("a bundle verified without a signer") }
    return 0
}

@_cdecl("FuzzBundle_main")
public func fuzzBundleMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzBundle)
}
