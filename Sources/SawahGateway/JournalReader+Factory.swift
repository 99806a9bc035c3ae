import Foundation
import SawahJournal

extension JournalReader {
    /// Opens a reader once, on first use, on the thread that uses it (a connection is not
    /// shared between threads).
    public final class Factory: @unchecked Sendable {
        // @unchecked Sendable: `reader` is touched by one task (DashboardService.run), or under
        // `lock` (MetricsService scrapes, see withReader).
        let path: String
        let lock = NSLock()
        private var reader: JournalReader?

        public init(path: String) {
            self.path = path
        }

        func open() throws -> JournalReader {
            if let reader { return reader }
            let made = try JournalReader(path: path)
            reader = made
            return made
        }
    }
}

extension JournalReader.Factory {
    /// Runs `body` with the reader under the lock, for callers on several threads.
    public func withReader<T>(_ body: (JournalReader) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(try open())
    }
}
