import SawahSQLite

/// The ingest writer's compiled statements. Only a journal opened to ingest (sawahd's)
/// prepares them; one opened to seal from the CLI (`SealStore.open`) does without.
struct IngestStatements {
    let insertReading: SQLiteStatement
    let insertQuarantine: SQLiteStatement
    let insertSeries: SQLiteStatement
    let selectSeries: SQLiteStatement
    let upsertInbox: SQLiteStatement
    let setCounter: SQLiteStatement
    let insertLink: SQLiteStatement

    init(db: SQLiteConnection) throws {
        insertReading = try db.prepare(
            "INSERT INTO readings (series, value, observed_at, received_at, quality, boot, received_boottime) VALUES (?, ?, ?, ?, ?, ?, ?)")
        insertQuarantine = try db.prepare(
            "INSERT INTO quarantine (source, payload, payload_size, reason, received_at) VALUES (?, ?, ?, ?, ?)")
        insertSeries = try db.prepare(
            "INSERT OR IGNORE INTO series (sensor, quantity, unit, source) VALUES (?, ?, ?, ?)")
        selectSeries = try db.prepare(
            "SELECT id FROM series WHERE sensor = ? AND quantity = ? AND unit = ? AND source = ?")
        upsertInbox = try db.prepare(
            "INSERT OR REPLACE INTO mqtt_inbox (session, mid, digest, serial) VALUES (?, ?, ?, ?)")
        setCounter = try db.prepare("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        insertLink = try db.prepare("INSERT INTO link_quality (seq, rssi, snr) VALUES (?, ?, ?)")
    }
}
