import CMosquitto

/// libmosquitto's own topic matching (`mosquitto_topic_matches_sub`), the reference the
/// project's `TopicFilter` is checked against by tests and the fuzzer.
public enum MosquittoTopicMatcher {
    /// Whether `topic` matches `filter` as the broker decides it; nil when libmosquitto calls
    /// either of them invalid.
    public static func matches(filter: String, topic: String) -> Bool? {
        var result = false
        let rc = mosquitto_topic_matches_sub(filter, topic, &result)
        return rc == Int32(MOSQ_ERR_SUCCESS.rawValue) ? result : nil
    }
}
