import SawahSQLite

/// A platform's derived copy of a batch as stored: sent again byte for byte on every retry.
public struct DerivedCopy: Sendable, Equatable {
    public var certificateID: String
    public var jws: String
    public var epcis: [UInt8]
    public var series: [UInt8]

    public init(certificateID: String, jws: String, epcis: [UInt8], series: [UInt8]) {
        self.certificateID = certificateID
        self.jws = jws
        self.epcis = epcis
        self.series = series
    }
}

extension DeliveryLedger {
    /// The copy of `batch` made for `platform` under the profile with `profileHash`, if any.
    public func derivedCopy(platform: String, batch: Int64, profileHash: String) throws(JournalError) -> DerivedCopy? {
        try write("read the copy of batch \(batch) for \(platform)") { db in try Self.copy(in: db, platform: platform, batch: batch, profileHash: profileHash) }
    }

    /// Keeps the copy made for `platform`; returns the one kept, which is an earlier one if two
    /// uploaders raced (the first stays, so a platform only ever sees one).
    public func storeDerivedCopy(_ copy: DerivedCopy, platform: String, batch: Int64, profileHash: String) throws(JournalError) -> DerivedCopy {
        try write("keep the copy of batch \(batch) for \(platform)") { db in
            let insert = try db.prepare(
                """
                INSERT OR IGNORE INTO derived_copies (platform, batch, profile_hash, certificate_id, jws, epcis, series)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.bind(platform, at: 1)
            try insert.bind(batch, at: 2)
            try insert.bind(profileHash, at: 3)
            try insert.bind(copy.certificateID, at: 4)
            try insert.bind(copy.jws, at: 5)
            try insert.bind(copy.epcis, at: 6)
            try insert.bind(copy.series, at: 7)
            try insert.step()
            return try Self.copy(in: db, platform: platform, batch: batch, profileHash: profileHash) ?? copy
        }
    }

    private static func copy(in db: SQLiteConnection, platform: String, batch: Int64, profileHash: String) throws -> DerivedCopy? {
        let query = try db.prepare("SELECT certificate_id, jws, epcis, series FROM derived_copies WHERE platform = ? AND batch = ? AND profile_hash = ?")
        try query.bind(platform, at: 1)
        try query.bind(batch, at: 2)
        try query.bind(profileHash, at: 3)
        guard try query.step() else { return nil }
        return DerivedCopy(certificateID: query.text(0), jws: query.text(1), epcis: query.blob(2), series: query.blob(3))
    }
}
