import Testing

@testable import SawahCore
@testable import SawahMQTT

/// The gateway's topic matching agrees with its broker's (libmosquitto), including the case
/// the fuzzer found: wildcard-first filters do not match `$` topics.
@Suite struct TopicMatchingTests {
    @Test(arguments: [
        ("#", "$SYS"), ("#", "$SYS/broker/uptime"), ("+/broker", "$SYS/broker"), ("$SYS/#", "$SYS/broker"),
        ("farm/#", "farm"), ("farm/#", "farm/a/b"), ("farm/+", "farm/"), ("+/+", "/x"), ("farm/+/soil", "farm//soil"),
        ("#", "farm/a"), ("farm/+", "farm/a/b"), ("a/b", "a/b"), ("a/b", "a/b/")
    ])
    func agreesWithLibmosquitto(filter: String, topic: String) throws {
        let reference = try #require(MosquittoTopicMatcher.matches(filter: filter, topic: topic))
        #expect(TopicFilter.matches(filter, topic: topic) == reference, "\(filter) vs \(topic): libmosquitto says \(reference)")
    }
}
