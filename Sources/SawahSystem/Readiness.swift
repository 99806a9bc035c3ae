import Synchronization

/// Set once the sources are subscribed; the watchdog service announces it to systemd once.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)
    private let announced = Atomic<Bool>(false)

    public init() {}

    public var isReady: Bool { ready.load(ordering: .acquiring) }

    public func markReady() { ready.store(true, ordering: .releasing) }

    /// True exactly once, after `markReady`.
    func takeReadyAnnouncement() -> Bool {
        guard isReady else { return false }
        return announced.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
