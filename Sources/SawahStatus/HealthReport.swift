import Foundation
import SawahCore
import SawahJournal
import SawahSystem
import SawahTraceability

/// The figures `sawah/<gw>/health` carries and `sawah status` prints, read from the journal
/// itself so they always match its content.
public struct HealthReport: Sendable, Equatable {
    public var time: Int64
    public var readingsTotal: Int64
    public var lastSequence: Int64
    public var quarantinedTotal: Int64
    public var evicted: Int64
    public var journalBytes: Int64
    public var freeDiskBytes: Int64?
    public var batchesSealed: Int64
    /// Readings per second over the last interval (filled in by the caller that has one).
    public var readingsPerSecond: Double?
    /// Hours until the disk is full at the journal's recent growth; nil when it is not growing.
    public var diskFullInHours: Double?
    /// Per platform: delivered, backlog and dead batches (empty without `[[platforms]]`).
    public var uplinks: [PlatformDeliveryStatus] = []
    /// Whether sawahd is storing what arrives (filled in by sawahd; nil elsewhere).
    public var ingest: IngestState?
    /// Whether the system clock is synchronised (read with the other figures).
    public var clock: ClockSync?

    /// Reads the journal's figures now.
    public static func measure(
        reader: JournalReader, journalPath: String, dataDirectory: String, platforms: [String] = [], claimsPlatforms: Set<String> = []
    ) throws -> HealthReport {
        let counts = try reader.counts()
        let counters = try reader.counters()
        let evicted = counters.filter { $0.key.hasPrefix("evicted_") }.values.reduce(0, +)
        var bytes: Int64 = 0
        for suffix in ["", "-wal"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: journalPath + suffix))?[.size] as? NSNumber { bytes += size.int64Value }
        }
        var report = HealthReport(
            time: Clock.nowMilliseconds(), readingsTotal: counts.readings, lastSequence: try reader.lastSequence(),
            quarantinedTotal: counters["quarantined_total"] ?? 0, evicted: evicted, journalBytes: bytes,
            freeDiskBytes: DiskSpace.freeBytes(at: dataDirectory), batchesSealed: Int64(try reader.batchCount()), readingsPerSecond: nil, diskFullInHours: nil,
            uplinks: try reader.deliveryStatus(
                platforms: platforms, now: Clock.nowMilliseconds(), windowMilliseconds: GatewayStatus.uplinkRateWindow, claimsPlatforms: claimsPlatforms))
        report.clock = ClockSync.read()
        return report
    }

    /// Fills in the rates from the previous report.
    public mutating func rates(since previous: HealthReport?) {
        guard let previous, time > previous.time else { return }
        let seconds = Double(time - previous.time) / 1_000
        readingsPerSecond = Double(lastSequence - previous.lastSequence) / seconds
        let growth = Double(journalBytes - previous.journalBytes) / seconds
        if growth > 0, let free = freeDiskBytes { diskFullInHours = Double(free) / growth / 3_600 }
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "time": .string(EPCISTimestamp.format(time)), "readings_total": .number(Double(readingsTotal)),
            "last_sequence": .number(Double(lastSequence)), "quarantined_total": .number(Double(quarantinedTotal)),
            "evicted_total": .number(Double(evicted)), "journal_bytes": .number(Double(journalBytes)),
            "batches_sealed": .number(Double(batchesSealed)),
            "uplinks": .array(
                uplinks.map { uplink in
                    .object([
                        "platform": .string(uplink.platform), "delivered": .number(Double(uplink.delivered)),
                        "pending": .number(Double(uplink.backlog)), "dead": .number(Double(uplink.dead)),
                        "last_error": uplink.lastError.map(JSONValue.string) ?? .null
                    ])
                })
        ]
        object["free_disk_bytes"] = freeDiskBytes.map { .number(Double($0)) } ?? .null
        object["readings_per_second"] = readingsPerSecond.map { .number(($0 * 10).rounded() / 10) } ?? .null
        object["disk_full_in_hours"] = diskFullInHours.map { .number($0.rounded()) } ?? .null
        if let ingest { object["ingest"] = ingest.json }
        if let clock { object["clock"] = clock.json }
        return .object(object)
    }
}
