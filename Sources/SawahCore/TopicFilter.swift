/// MQTT topic filters (`+` one level, `#` the rest), matched the way the broker matches them.
public enum TopicFilter {
    /// Why `filter` is not a valid MQTT filter, or nil when it is.
    public static func problem(in filter: String) -> String? {
        if filter.isEmpty { return "expected an MQTT topic or filter, found an empty string" }
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        for (position, level) in levels.enumerated() {
            if level.contains("#") && (level != "#" || position != levels.count - 1) {
                return "'#' must be a whole level and the last one, in \"\(filter)\""
            }
            if level.contains("+") && level != "+" {
                return "'+' must be a whole level, in \"\(filter)\""
            }
        }
        return nil
    }

    /// True when `topic` (no wildcards) matches `filter`. As MQTT 3.1.1 §4.7.2 says, a filter
    /// that starts with a wildcard does not match a topic that starts with `$` (the broker's
    /// `$SYS/…`): found by fuzzing against libmosquitto (scripts/fuzz FuzzTopicMatch).
    public static func matches(_ filter: String, topic: String) -> Bool {
        if filter == topic { return true }
        if topic.hasPrefix("$") && (filter.hasPrefix("#") || filter.hasPrefix("+")) { return false }
        var filterLevels = filter.split(separator: "/", omittingEmptySubsequences: false)[...]
        var topicLevels = topic.split(separator: "/", omittingEmptySubsequences: false)[...]
        while let level = filterLevels.popFirst() {
            if level == "#" { return true }
            guard let actual = topicLevels.popFirst() else { return false }
            if level != "+" && level != actual { return false }
        }
        return topicLevels.isEmpty
    }
}
