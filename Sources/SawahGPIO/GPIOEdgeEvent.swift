/// One edge seen by the kernel, with its timestamp (CLOCK_MONOTONIC, nanoseconds).
public struct GPIOEdgeEvent: Sendable, Equatable {
    public enum Kind: Sendable { case rising, falling }
    public var kind: Kind
    public var nanoseconds: Int64

    public init(kind: Kind, nanoseconds: Int64) {
        self.kind = kind
        self.nanoseconds = nanoseconds
    }
}
