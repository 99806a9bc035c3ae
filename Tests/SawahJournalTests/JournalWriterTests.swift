import Foundation
import SawahSystem
import Synchronization
import TestSupport
import Testing

@testable import SawahCore
@testable import SawahJournal
@testable import SawahSQLite

/// The journal's one writer thread: every write runs there, one at a time, in the order it
/// was handed over, whether the caller waits on its own thread or awaits in a task; a failure
/// comes back to its caller; after the journal closes, nothing waits for ever.
@Suite struct JournalWriterTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func writer() throws -> JournalWriter {
        let db = try SQLiteConnection(path: directory.file("journal.sqlite"))
        try JournalMigrations.migrate(db)
        return JournalWriter(store: try JournalStore(db: db, inboxes: InboxWindows()), name: "test-writer")
    }

    @Test func jobsFromManyThreadsRunOneAtATimeOnTheWriterThreadInTheirOrder() async throws {
        let writer = try writer()
        defer { writer.stop() }
        let state = LockedValue<(running: Int, overlapped: Bool, threads: Set<String>, order: [Int])>((0, false, [], []))
        @Sendable func job(_ tag: Int) -> @Sendable (inout JournalStore) throws -> Void {
            { _ in
                state.withLock { state in
                    state.running += 1
                    state.overlapped = state.overlapped || state.running > 1
                    state.threads.insert(((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines))
                    state.order.append(tag)
                }
                usleep(200)
                state.withLock { $0.running -= 1 }
            }
        }
        // Eight threads, each handing over 50 jobs and waiting for each.
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<8 {
                group.addTask {
                    await BlockingThread.run(name: "submitter-\(thread)") {
                        for index in 0..<50 { try? writer.perform(job(thread * 1_000 + index)) }
                    }
                }
            }
        }
        // And tasks awaiting theirs.
        for index in 0..<20 { try await writer.perform { store in try job(9_000 + index)(&store) } }
        let seen = state.value
        #expect(seen.order.count == 420)
        #expect(!seen.overlapped, "two writes ran at once")
        #expect(seen.threads == ["test-writer"], "\(seen.threads)")
        for thread in 0..<8 {
            let mine = seen.order.filter { $0 / 1_000 == thread }
            #expect(mine == mine.sorted(), "a submitter's jobs ran in its order")
        }
        #expect(seen.order.suffix(20) == Array(9_000..<9_020))
    }

    struct Refused: Error {}

    @Test func aFailureReturnsToItsCallerAndTheWriterGoesOn() async throws {
        let writer = try writer()
        defer { writer.stop() }
        #expect(throws: Refused.self) { () throws -> Void in try writer.perform { (_: inout JournalStore) throws -> Void in throw Refused() } }
        await #expect(throws: Refused.self) { () async throws -> Void in try await writer.perform { (_: inout JournalStore) throws -> Void in throw Refused() }
        }
        let count = try await writer.perform { store in try store.db.scalarInt("SELECT COUNT(*) FROM readings") }
        #expect(count == 0)
    }

    @Test func afterStopAWriteIsRefusedNotLeftWaiting() async throws {
        let writer = try writer()
        writer.stop()
        #expect {
            try writer.perform { (_: inout JournalStore) -> Int in 1 }
        } throws: { error in
            if case JournalError.closed = error { return true }
            return false
        }
        await #expect(throws: JournalError.self) { try await writer.perform { @Sendable (_: inout JournalStore) -> Int in 1 } }
        writer.stop()  // twice is harmless
    }

    /// A journal whose last reference goes away inside one of its own jobs stops its writer
    /// from the writer thread: that must end the loop, not wait for itself.
    @Test(.timeLimit(.minutes(1))) func aStopFromTheWriterThreadItselfDoesNotWaitForItself() throws {
        let writer = try writer()
        try writer.perform { (_: inout JournalStore) in writer.stop() }
        #expect(throws: JournalError.self) { try writer.perform { (_: inout JournalStore) -> Int in 1 } }
    }
}
