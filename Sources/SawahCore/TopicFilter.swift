/// MQTT topic filters (`+` one level, `#` the rest), matched the way the broker matches them.
///
/// Everything works on the UTF-8 bytes, never on `Character`s: MQTT compares topics byte for
/// byte, while Swift's `String` folds canonically equivalent text together and glues a combining
/// mark onto the `/` before it (so "/\u{64C}" would be one level, not two). Found by fuzzing
/// against libmosquitto (scripts/fuzz FuzzTopicMatch).
public enum TopicFilter {
    private static let separator = UInt8(ascii: "/")
    private static let singleLevel = UInt8(ascii: "+")
    private static let multiLevel = UInt8(ascii: "#")

    /// Why `filter` is not a valid MQTT filter, or nil when it is.
    public static func problem(in filter: String) -> String? {
        if filter.isEmpty { return "expected an MQTT topic or filter, found an empty string" }
        // MQTT forbids U+0000 in topics (3.1.1 §1.5.3); libmosquitto would cut the text there.
        if filter.utf8.contains(0) { return "an MQTT topic cannot contain U+0000, in \(filter.debugDescription)" }
        let levels = levels(of: filter)
        for (position, level) in levels.enumerated() {
            if level.contains(multiLevel) && (!level.elementsEqual([multiLevel]) || position != levels.count - 1) {
                return "'#' must be a whole level and the last one, in \"\(filter)\""
            }
            if level.contains(singleLevel) && !level.elementsEqual([singleLevel]) {
                return "'+' must be a whole level, in \"\(filter)\""
            }
        }
        return nil
    }

    /// True when `topic` (no wildcards) matches `filter`. As MQTT 3.1.1 §4.7.2 says, a filter
    /// that starts with a wildcard does not match a topic that starts with `$` (the broker's
    /// `$SYS/…`).
    public static func matches(_ filter: String, topic: String) -> Bool {
        if filter.utf8.elementsEqual(topic.utf8) { return true }
        let firstOfFilter = filter.utf8.first
        if topic.utf8.first == UInt8(ascii: "$") && (firstOfFilter == multiLevel || firstOfFilter == singleLevel) {
            return false
        }
        var filterLevels = levels(of: filter)[...]
        var topicLevels = levels(of: topic)[...]
        while let level = filterLevels.popFirst() {
            if level.elementsEqual([multiLevel]) { return true }
            guard let actual = topicLevels.popFirst() else { return false }
            if !level.elementsEqual([singleLevel]) && !level.elementsEqual(actual) { return false }
        }
        return topicLevels.isEmpty
    }

    private static func levels(of text: String) -> [Substring.UTF8View.SubSequence] {
        text.utf8[...].split(separator: separator, omittingEmptySubsequences: false)
    }
}
