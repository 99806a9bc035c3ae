import FuzzSupport
import SawahCore
import SawahMQTT

/// TopicFilter.matches against libmosquitto's mosquitto_topic_matches_sub: the input is a
/// filter and a topic separated by a NUL byte; wherever libmosquitto accepts both, the two must
/// agree (a disagreement means the gateway routes or grants differently from its broker).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTopicMatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let split = bytes.firstIndex(of: 0),
        let filter = String(validating: bytes[..<split], as: UTF8.self),
        let topic = String(validating: bytes[(split + 1)...], as: UTF8.self),
        !topic.isEmpty
    else { return 0 }
    // Bytes, not Characters: "\0\u{64C}" is one Character that `contains("\0")` misses, and
    // libmosquitto would see the topic cut at the NUL.
    let topicBytes = bytes[(split + 1)...]
    guard !topicBytes.contains(0), !topicBytes.contains(UInt8(ascii: "+")), !topicBytes.contains(UInt8(ascii: "#")) else { return 0 }
    guard TopicFilter.problem(in: filter) == nil, let reference = MosquittoTopicMatcher.matches(filter: filter, topic: topic) else { return 0 }
    let ours = TopicFilter.matches(filter, topic: topic)
    if ours != reference {
        fatalError("TopicFilter.matches(\(filter.debugDescription), topic: \(topic.debugDescription)) is \(ours), libmosquitto says \(reference)")
    }
    return 0
}

@_cdecl("FuzzTopicMatch_main")
public func fuzzTopicMatchMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzTopicMatch)
}
