import SawahSQLite

extension Journal {
    // Retention's side of delivery: what it must keep. Writing the deliveries themselves is
    // the DeliveryLedger's (sawah-uplink's and the CLI's) alone.
    /// The lowest sequence number retention must keep for the uplink: the first reading of a
    /// lot's sensors not yet sealed, or of a batch some platform does not have yet. nil when
    /// nothing is held back.
    func uplinkHoldFrom(lots: [(id: String, sensors: [String])], platforms: [String]) throws(JournalError) -> Int64? {
        try maintain("find readings held for delivery") { store in
            var hold: Int64?
            func lower(_ value: Int64?) { if let value { hold = min(hold ?? value, value) } }
            for lot in lots where !lot.sensors.isEmpty {
                let placeholders = Array(repeating: "?", count: lot.sensors.count).joined(separator: ",")
                let query = try store.db.prepare(
                    """
                    SELECT MIN(r.seq) FROM readings r JOIN series s ON s.id = r.series
                    WHERE r.seq > COALESCE((SELECT sealed_through FROM seal_cursors WHERE lot = ?), 0) AND s.sensor IN (\(placeholders))
                    """)
                try query.bind(lot.id, at: 1)
                for (index, sensor) in lot.sensors.enumerated() { try query.bind(sensor, at: Int32(index + 2)) }
                if try query.step(), !query.isNull(0) { lower(query.int64(0)) }
            }
            for platform in platforms {
                let query = try store.db.prepare(
                    """
                    SELECT MIN(b.first_seq) FROM batches b
                    WHERE b.reading_count > 0 AND NOT EXISTS (
                        SELECT 1 FROM deliveries d WHERE d.platform = ? AND d.batch = b.number AND d.state = 'delivered')
                    """)
                try query.bind(platform, at: 1)
                if try query.step(), !query.isNull(0) { lower(query.int64(0)) }
            }
            return hold
        }
    }
}
