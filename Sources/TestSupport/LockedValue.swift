import Synchronization

/// A Mutex in a class, so closures handed to C callbacks can share it by reference.
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
