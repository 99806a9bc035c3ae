import Synchronization

/// The one lock wrapper: a `Mutex` in a class, so closures handed to C callbacks and other
/// threads can share it by reference. Where a value lives in one owner, `Mutex` itself is used.
public final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try mutex.withLock { value in try body(&value) }
    }

    public var value: Value { mutex.withLock { $0 } }
}
