import Foundation
import SawahSystem
import Synchronization

/// The journal's one writer: a thread of its own that owns the write connection
/// (`JournalStore`) and runs the work handed to it one piece at a time, in the order it came.
///
/// Every write — an ingest batch, a seal's commit, a retention step, a GPIO checkpoint — is a
/// job on this thread. A caller on a thread of its own (the MQTT loop, a GPIO worker, the CLI)
/// waits for its job with `perform`; a task on the cooperative pool awaits it with the async
/// `perform` and gives its pool thread back meanwhile, instead of blocking it on a lock while
/// another writer's transaction runs.
final class JournalWriter: Sendable {
    /// One piece of work and the signal that it has run.
    ///
    /// `@unchecked Sendable`: `work` and `refuse` are set by the submitting thread before the
    /// job is queued and taken (set to nil) by the one thread that then runs one of them — the
    /// writer, or the submitter itself if the writer has stopped; the queue's mutex orders
    /// the two. `done` is a semaphore, safe from any thread.
    private final class Job: @unchecked Sendable {
        var work: ((inout JournalStore) -> Void)?
        var refuse: (() -> Void)?
        let done = DispatchSemaphore(value: 0)

        init(_ work: @escaping (inout JournalStore) -> Void, refuse: @escaping () -> Void) {
            self.work = work
            self.refuse = refuse
        }
    }

    private struct Queue {
        var jobs: [Job] = []
        var head = 0
        var stopping = false
    }

    private let queue = Mutex(Queue())
    /// Counts queued jobs (and the stop request): the writer thread sleeps on it.
    private let pending = DispatchSemaphore(value: 0)
    /// Signalled by the writer thread as it ends.
    private let ended = DispatchSemaphore(value: 0)
    /// The writer thread's pthread id, so that a stop asked from the writer thread itself (the
    /// journal's last reference dropped inside a job) does not wait for its own end.
    private let writerThread = Atomic<UInt>(0)

    /// Starts the writer thread; from now on only it touches `store`.
    init(store: JournalStore, name: String = "sawah-journal") {
        let handoff = StoreHandoff(store: store)
        let thread = Thread { [self] in
            BlockingThread.nameCurrentThread(name)
            writerThread.store(UInt(pthread_self()), ordering: .releasing)
            // The store (and its connection) must be gone before `ended` lets `stop()` return:
            // held by the thread's closure, it was closed later, and closing checkpoints under
            // an exclusive lock that a caller's next write on the same file ran into.
            do {
                var store = handoff.take()
                run(&store)
            }
            ended.signal()
        }
        thread.start()
    }

    /// Runs `body` on the writer thread and waits for it, for callers on a thread of their own.
    func perform<T>(_ body: (inout JournalStore) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var outcome: Result<T, any Error>?
            let job = Job({ store in outcome = Result { try body(&store) } }, refuse: { outcome = .failure(JournalError.closed) })
            submit(job)
            job.done.wait()
            return try outcome!.get()
        }
    }

    /// Runs `body` on the writer thread; the calling task is suspended, not its thread.
    func perform<T: Sendable>(_ body: @escaping @Sendable (inout JournalStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit(Job({ store in continuation.resume(with: Result { try body(&store) }) }, refuse: { continuation.resume(throwing: JournalError.closed) }))
        }
    }

    /// Finishes the jobs already queued, then ends the thread and waits for it.
    func stop() {
        let first = queue.withLock { queue in
            defer { queue.stopping = true }
            return !queue.stopping
        }
        guard first else { return }
        pending.signal()
        // On the writer thread itself the loop ends when the current job returns.
        if writerThread.load(ordering: .acquiring) != UInt(pthread_self()) { ended.wait() }
    }

    private func submit(_ job: Job) {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted {
            pending.signal()
        } else {
            // After stop nothing runs: the job fails rather than waiting for ever.
            job.work = nil
            let refuse = job.refuse
            job.refuse = nil
            refuse?()
            job.done.signal()
        }
    }

    private func run(_ store: inout JournalStore) {
        while true {
            pending.wait()
            let next: Job? = queue.withLock { queue in
                guard queue.head < queue.jobs.count else { return nil }
                let job = queue.jobs[queue.head]
                queue.head += 1
                // Drop run jobs from the front now and then, so the array does not grow.
                if queue.head > 64, queue.head * 2 > queue.jobs.count {
                    queue.jobs.removeFirst(queue.head)
                    queue.head = 0
                }
                return job
            }
            guard let job = next else { return }  // the stop request, once the queue is empty
            do {
                // The work is released before the caller is told, so its closure never
                // outlives `perform` (withoutActuallyEscaping checks that).
                let work = job.work
                job.work = nil
                job.refuse = nil
                work?(&store)
            }
            job.done.signal()
        }
    }
}

/// Carries the store to the writer thread at start, and lets it go from there.
///
/// `@unchecked Sendable`: the store is handed over once, before any job exists; the creating
/// thread never touches it again, and `take()` runs once, on the writer thread.
private final class StoreHandoff: @unchecked Sendable {
    private var store: JournalStore?

    init(store: JournalStore) {
        self.store = store
    }

    /// The store, which the handoff then no longer holds.
    func take() -> JournalStore {
        defer { store = nil }
        return store!
    }
}
