import SawahJournal
import Synchronization

extension JournalReader {
    /// Opens a reader once, on first use, and lends it out under a lock: a SQLite connection
    /// must not be used by two threads at once, and the dashboard's loop and the metrics
    /// endpoint's scrapes each run on whatever thread the pool gives them.
    public final class Factory: @unchecked Sendable {
        // @unchecked Sendable: `reader` is read and written only inside `lock.withLock` (see
        // withReader), so no two threads ever touch it or the connection at once. (A
        // Mutex<JournalReader?> cannot lend its non-Sendable value to a caller's closure.)
        let path: String
        private let lock = Mutex(())
        private var reader: JournalReader?

        public init(path: String) {
            self.path = path
        }

        /// Runs `body` with the reader, opening it on first use. A failed open is thrown and
        /// tried again on the next call (the journal may not exist yet).
        public func withReader<T>(_ body: (JournalReader) throws -> T) throws -> T {
            try lock.withLock { _ in
                if let reader { return try body(reader) }
                let opened = try JournalReader(path: path)
                reader = opened
                return try body(opened)
            }
        }
    }
}
