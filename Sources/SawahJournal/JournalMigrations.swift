import SawahSQLite

/// The journal's schema, as named steps applied in order and recorded in `schema_migrations`.
/// A journal written by an older Sawah is brought up to date when it is opened; a step, once
/// released, is never edited: changes come as new steps.
enum JournalMigrations {
    struct Migration {
        let name: String
        let sql: String
    }

    static let all: [Migration] = [
        Migration(
            name: "001-readings-and-quarantine",
            sql: """
                -- Sensor, quantity, unit and source repeat on every reading; storing them once per
                -- series keeps a reading row near 30 bytes, which is what keeps the bytes written
                -- per reading low (see README, performance).
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY,
                    sensor TEXT NOT NULL,
                    quantity TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    source TEXT NOT NULL,
                    UNIQUE (sensor, quantity, unit, source)
                );
                -- The gateway sequence. Retention never deletes the newest row, so a number is
                -- never given twice (without the per-commit cost of AUTOINCREMENT).
                CREATE TABLE readings (
                    seq INTEGER PRIMARY KEY,
                    series INTEGER NOT NULL REFERENCES series(id),
                    value REAL NOT NULL,
                    observed_at INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    quality INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE quarantine (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    payload_size INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    received_at INTEGER NOT NULL
                );
                CREATE VIEW reading_rows AS
                    SELECT r.seq, s.sensor, s.quantity, r.value, s.unit, r.observed_at, r.received_at,
                           s.source, r.quality
                    FROM readings r JOIN series s ON s.id = r.series;
                """),
        Migration(
            name: "002-mqtt-inbox",
            sql: """
                -- The last packet id seen per MQTT session, so a message redelivered after a lost
                -- PUBACK is recognised and not stored twice.
                -- The session (client id) is named once, so an inbox row stays small.
                CREATE TABLE mqtt_sessions (
                    id INTEGER PRIMARY KEY,
                    client TEXT NOT NULL UNIQUE
                );
                CREATE TABLE mqtt_inbox (
                    session INTEGER NOT NULL REFERENCES mqtt_sessions(id),
                    mid INTEGER NOT NULL,
                    digest INTEGER NOT NULL,
                    serial INTEGER NOT NULL,
                    PRIMARY KEY (session, mid)
                ) WITHOUT ROWID;
                """),
        Migration(
            name: "003-counters",
            sql: """
                -- What retention evicted and what was recognised as a duplicate: shown by
                -- `sawah status`, because nothing leaves the journal silently.
                -- (No index on observed_at: it would add about a sixth to the bytes written per
                -- reading, and exports, the only users of time ranges, can afford a scan.)
                CREATE TABLE counters (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                """),
        Migration(
            name: "004-certificate-batches",
            sql: """
                -- One row per sealed batch: the gateway's hash chain, in order. A batch covers the
                -- readings of its lot's sensors with seq in [first_seq, last_seq]; the raw series is
                -- rebuilt from them (not stored twice). Written in the same transaction as the
                -- lot's cursor, so a crash never leaves a half-sealed batch.
                CREATE TABLE batches (
                    number INTEGER PRIMARY KEY,
                    lot TEXT NOT NULL,
                    sensors TEXT NOT NULL,
                    first_seq INTEGER NOT NULL,
                    last_seq INTEGER NOT NULL,
                    reading_count INTEGER NOT NULL,
                    start_time INTEGER NOT NULL,
                    end_time INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    certificate_id TEXT NOT NULL UNIQUE,
                    jws TEXT NOT NULL,
                    epcis BLOB NOT NULL,
                    raw_digest TEXT NOT NULL
                );
                -- Per lot: every reading of its sensors with seq <= sealed_through is in a batch.
                CREATE TABLE seal_cursors (
                    lot TEXT PRIMARY KEY,
                    sealed_through INTEGER NOT NULL
                ) WITHOUT ROWID;
                """),
        Migration(
            name: "005-uplink-deliveries",
            sql: """
                -- Per platform and batch: where its delivery stands. A row is added when the uplink
                -- first sees the batch; 'in_flight' rows left by a crash go back to 'pending' at
                -- start (the platform recognises what it already has). 'dead' keeps the
                -- platform's answer until an operator requeues it.
                CREATE TABLE deliveries (
                    platform TEXT NOT NULL,
                    batch INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (platform, batch)
                ) WITHOUT ROWID;
                CREATE INDEX deliveries_by_state ON deliveries (platform, state, next_attempt);
                """),
        Migration(
            name: "006-link-quality",
            sql: """
                -- RSSI and SNR of the LoRaWAN uplink that carried a reading, only for readings that
                -- came over LoRaWAN: wired and Wi-Fi readings pay nothing for it.
                CREATE TABLE link_quality (
                    seq INTEGER PRIMARY KEY,
                    rssi REAL,
                    snr REAL
                );
                DROP VIEW reading_rows;
                CREATE VIEW reading_rows AS
                    SELECT r.seq, s.sensor, s.quantity, r.value, s.unit, r.observed_at, r.received_at,
                           s.source, r.quality, l.rssi, l.snr
                    FROM readings r JOIN series s ON s.id = r.series LEFT JOIN link_quality l ON l.seq = r.seq;
                """),
        Migration(
            name: "007-stored-row-counters",
            sql: """
                -- The rows the readings and quarantine tables hold, kept by the writer in the same
                -- transactions that add and remove them, so health and metrics read two counters
                -- instead of COUNT(*) over the whole journal every 30 s and on every scrape.
                INSERT INTO counters (name, value) VALUES ('readings_stored', (SELECT COUNT(*) FROM readings))
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value;
                INSERT INTO counters (name, value) VALUES ('quarantine_stored', (SELECT COUNT(*) FROM quarantine))
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value;
                -- Retention used to leave the link quality of the readings it removed behind.
                DELETE FROM link_quality WHERE seq NOT IN (SELECT seq FROM readings);
                """),
        Migration(
            name: "008-boot-clock",
            sql: """
                -- Each reading's receive instant also on the clock that never jumps: the boot it
                -- arrived in (the kernel's random boot id) and CLOCK_BOOTTIME then, in ms. A
                -- board without a real-time clock boots with a wrong wall time; once NTP sets
                -- it in the same boot, these give the readings received before their true time.
                -- Two small integers in the row the reading writes anyway: no extra page per
                -- commit. NULL for readings stored before this step.
                CREATE TABLE boots (
                    id INTEGER PRIMARY KEY,
                    boot_id TEXT NOT NULL UNIQUE,
                    first_seen INTEGER NOT NULL
                );
                ALTER TABLE readings ADD COLUMN boot INTEGER REFERENCES boots(id);
                ALTER TABLE readings ADD COLUMN received_boottime INTEGER;
                """),
        Migration(
            name: "009-honest-time",
            sql: """
                -- Readings received while the gateway's clock was unsynchronised (quality bit 8)
                -- stay out of certificates until their time is corrected (DESIGN.md invariant 9).
                -- The index holds only those rows: finding them costs nothing while the clock
                -- is good, and nothing is added to the ingest of a synchronised gateway.
                CREATE INDEX readings_unsynchronised ON readings (boot, seq) WHERE (quality & 8) != 0;
                -- The quality bits a batch left out, so that its raw series is rebuilt from the
                -- same rows. 0 for the batches sealed before this step, which left nothing out.
                ALTER TABLE batches ADD COLUMN excluded_quality INTEGER NOT NULL DEFAULT 0;
                """),
        Migration(
            name: "010-claims",
            sql: """
                -- Season boundaries and probe calibrations (ChainRecord) are links of the chain:
                -- batches with no lot, their one-event EPCIS document in batches.epcis. This
                -- table only finds them; a claim reads what they say from the signed document.
                CREATE TABLE chain_records (
                    number INTEGER PRIMARY KEY REFERENCES batches(number),
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    event_time INTEGER NOT NULL
                );
                CREATE INDEX chain_records_subject ON chain_records (kind, subject, event_time);
                -- Claims computed from sealed batches and records: the signed UNTP Digital
                -- Conformity Credential, the evidence bundle its hashDigest covers, and for a
                -- cold treatment the ePhyto prefill.
                CREATE TABLE claims (
                    number INTEGER PRIMARY KEY,
                    claim_id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    jws TEXT NOT NULL,
                    evidence BLOB NOT NULL,
                    prefill BLOB
                );
                """),
        Migration(
            name: "011-disclosures",
            sql: """
                -- A platform's derived copy of a batch (its disclosure profile removed something),
                -- made once and sent again byte for byte on every retry: ES256 signatures are
                -- randomised, and a platform must never see two copies under one id.
                CREATE TABLE derived_copies (
                    platform TEXT NOT NULL,
                    batch INTEGER NOT NULL,
                    profile_hash TEXT NOT NULL,
                    certificate_id TEXT NOT NULL,
                    jws TEXT NOT NULL,
                    epcis BLOB NOT NULL,
                    series BLOB NOT NULL,
                    PRIMARY KEY (platform, batch, profile_hash)
                ) WITHOUT ROWID;
                -- What left the farm (DESIGN.md invariant 10): each batch a platform received,
                -- once, with the hash of the profile it was disclosed under and the certificate
                -- sent (the original's id or the derived copy's; '' when the profile withheld it).
                -- Written in the transaction that marks the delivery delivered.
                CREATE TABLE disclosures (
                    platform TEXT NOT NULL,
                    batch INTEGER NOT NULL,
                    profile_hash TEXT NOT NULL,
                    sent TEXT NOT NULL,
                    disclosed_at INTEGER NOT NULL,
                    PRIMARY KEY (platform, batch)
                ) WITHOUT ROWID;
                """)
    ]

    /// Checks, without changing anything, that the journal has exactly the steps this build
    /// knows: for the processes that use a journal but do not own its schema.
    static func requireCurrent(_ db: SQLiteConnection) throws {
        var applied: Set<String> = []
        let query = try db.prepare("SELECT name FROM schema_migrations")
        while try query.step() { applied.insert(query.text(0)) }
        let unknown = applied.subtracting(all.map(\.name))
        if !unknown.isEmpty { throw JournalError.newerSchema(file: db.path, migrations: unknown.sorted()) }
        let missing = all.map(\.name).filter { !applied.contains($0) }
        if !missing.isEmpty { throw JournalError.olderSchema(file: db.path, missing: missing) }
    }

    /// Applies every step not yet recorded (up to `limit` steps in all, for tests that build an
    /// old journal). Returns the names applied now.
    @discardableResult
    static func migrate(_ db: SQLiteConnection, limit: Int? = nil) throws -> [String] {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
        var applied: Set<String> = []
        let query = try db.prepare("SELECT name FROM schema_migrations")
        while try query.step() { applied.insert(query.text(0)) }
        let unknown = applied.subtracting(all.map(\.name))
        if !unknown.isEmpty {
            throw JournalError.newerSchema(file: db.path, migrations: unknown.sorted())
        }
        var done: [String] = []
        for migration in all.prefix(limit ?? all.count) where !applied.contains(migration.name) {
            try db.transaction {
                try db.execute(migration.sql)
                let record = try db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)")
                try record.bind(migration.name, at: 1)
                try record.bind(Clock.nowMilliseconds(), at: 2)
                try record.step()
            }
            done.append(migration.name)
        }
        return done
    }
}
