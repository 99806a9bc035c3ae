/// A platform's delivery loop could not run; sawah-uplink stops with it rather than carry on
/// as if the platform were being served.
public struct UplinkLoopError: Error, CustomStringConvertible, Equatable {
    public let platform: String
    public let problem: String

    public var description: String { "[[platforms]] \(platform): the delivery loop stopped: \(problem)" }
}
