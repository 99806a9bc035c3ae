import SawahCore
import SawahSystem

/// The journal as the sealer and `sawah identity rotate` see it: seal the next due batch of a
/// lot (drafted from a snapshot, built outside the writer, committed only if still current),
/// append a key-rotation link, read the chain's last link.
public struct SealStore: Sendable {
    let journal: Journal

    /// Opens the journal sawahd made, to seal and nothing else: for `sawah certificates seal`
    /// and `sawah identity rotate`. It never creates or migrates the file, and refuses one
    /// whose schema is behind or ahead of this build (`olderSchema`, `newerSchema`); it
    /// prepares no ingest statement and loads no MQTT inbox. Its writes take SQLite's lock
    /// (with a busy timeout), which orders them against a running sawahd's.
    public static func open(path: String, durability: GatewayConfiguration.Durability) throws(JournalError) -> SealStore {
        SealStore(journal: try Journal(path: path, durability: durability, ingesting: false))
    }

    /// See `Journal.sealNext`: returns the batch number, or nil when nothing was due.
    /// `currentBoot` is this boot's id: readings it received with an unsynchronised clock are
    /// waited for (a correction may still come), those of other boots are left out.
    public func sealNext(
        lot: String, sensors: [String], maxReadings: Int, dueBefore: Int64, currentBoot: String? = MonotonicClock.bootID(),
        build: (BatchDraft) throws -> SealedBatch
    ) throws(JournalError) -> Int64? {
        try journal.sealNext(lot: lot, sensors: sensors, maxReadings: maxReadings, dueBefore: dueBefore, currentBoot: currentBoot, build: build)
    }

    /// See `Journal.correctClock`: returns how many readings got their true times.
    public func correctClock(_ clock: SynchronisedClock) throws(JournalError) -> Int {
        try journal.correctClock(clock)
    }

    /// Appends a key-rotation link after the chain's last batch; returns its number.
    public func appendRotation(
        createdAt: Int64, build: (Int64, (id: String, jws: String)?) throws -> (certificateID: String, jws: String)
    ) throws(JournalError) -> Int64 {
        try journal.appendRotation(createdAt: createdAt, build: build)
    }

    /// The chain's last link (batch or rotation), or nil for an empty chain.
    public func lastBatch() throws(JournalError) -> (number: Int64, certificateID: String, jws: String)? {
        try journal.lastBatch()
    }
}

extension SealStore {
    /// Appends a season or calibration record link after the chain's last link; returns its number.
    public func appendRecord(
        kind: String, subject: String, eventTime: Int64, createdAt: Int64,
        build: (Int64, (id: String, jws: String)?) throws -> RecordLink
    ) throws(JournalError) -> Int64 {
        try journal.appendRecord(kind: kind, subject: subject, eventTime: eventTime, createdAt: createdAt, build: build)
    }

    /// Stores a claim; `build` gets its number. Returns the number.
    public func storeClaim(kind: String, subject: String, createdAt: Int64, build: (Int64) throws -> ClaimDraft) throws(JournalError) -> Int64 {
        try journal.storeClaim(kind: kind, subject: subject, createdAt: createdAt, build: build)
    }
}
