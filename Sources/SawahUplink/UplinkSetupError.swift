/// A platform's settings cannot be used (unreadable CA, key or credential file).
public struct UplinkSetupError: Error, CustomStringConvertible, Sendable {
    public var platform: String
    public var problem: String
    public var description: String { "[[platforms]] \(platform): \(problem)" }
}
