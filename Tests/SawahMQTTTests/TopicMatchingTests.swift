import Testing

@testable import SawahCore
@testable import SawahMQTT

/// The gateway's topic matching agrees with its broker's (libmosquitto), including the case
/// the fuzzer found: wildcard-first filters do not match `$` topics.
@Suite struct TopicMatchingTests {
    @Test(arguments: [
        ("#", "$SYS"), ("#", "$SYS/broker/uptime"), ("+/broker", "$SYS/broker"), ("$SYS/#", "$SYS/broker"),
        ("farm/#", "farm"), ("farm/#", "farm/a/b"), ("farm/+", "farm/"), ("+/+", "/x"), ("farm/+/soil", "farm//soil"),
        ("#", "farm/a"), ("farm/+", "farm/a/b"), ("a/b", "a/b"), ("a/b", "a/b/"),
        // A combining mark after "/" is a separate level in MQTT, one Character in Swift.
        ("+/+/#", "/\u{64C}"), ("+/+", "/\u{301}"), ("farm/+", "farm/\u{301}x"),
        // Canonically equivalent but different bytes: MQTT says different topics.
        ("caf\u{E9}", "cafe\u{301}"), ("farm/caf\u{E9}/+", "farm/cafe\u{301}/x"),
        ("$\u{301}x", "$\u{301}x"), ("+/x", "$\u{301}/x")
    ])
    func agreesWithLibmosquitto(filter: String, topic: String) throws {
        let reference = try #require(MosquittoTopicMatcher.matches(filter: filter, topic: topic))
        #expect(TopicFilter.matches(filter, topic: topic) == reference, "\(filter) vs \(topic): libmosquitto says \(reference)")
    }

    /// A wildcard with a combining mark glued on is not a whole level, whatever Swift's
    /// `Character` view of it says; U+0000 is refused however it is joined.
    @Test(arguments: ["farm/#\u{301}", "farm/+\u{301}/x", "#\u{301}/x", "farm/\u{0}\u{64C}", "farm\u{0}"])
    func wildcardWithCombiningMarkIsRefused(filter: String) {
        #expect(TopicFilter.problem(in: filter) != nil, "\(filter.debugDescription) accepted")
    }
}
