import Foundation
import SawahCore
import SawahJournal
import SawahSystem
import SawahTraceability

/// Everything `sawah status` shows: sources, journal, disk, certificates, uplinks. One value,
/// printed for people or as JSON for scripts.
public struct GatewayStatus: Sendable {
    public struct Source: Sendable {
        public var id: String
        public var profile: String
        public var topic: String
        public var lastReading: Int64?
    }

    public struct Lot: Sendable {
        public var id: String
        public var unsealed: Int64
    }

    public var gatewayID: String
    public var now: Int64
    public var sources: [Source]
    public var health: HealthReport
    public var journalPath: String
    public var durability: String
    public var counters: [String: Int64]
    public var readingsLastHour: Int64
    public var bytesPerReading: Double?
    public var lastBatch: (number: Int64, createdAt: Int64)?
    public var lots: [Lot]
    /// Per configured platform: delivered, pending, dead, backlog age, last error.
    public var uplinks: [PlatformDeliveryStatus] = []
    /// The journal's filesystem is mounted read-only: nothing can be stored.
    public var diskReadOnly = false
    /// Readings an unsynchronised clock keeps out of certificates.
    public var clockHeld = ClockHeldReadings(awaitingSync: 0, neverSynchronised: 0)

    /// `latest`, when given (the status page has read it already), stands for each sensor's
    /// newest reading instead of a scan of the whole journal: it covers the newest readings
    /// only (`JournalReader.latestValues`), which is what a page refreshed every few seconds
    /// can afford on a board.
    public static func collect(config: GatewayConfiguration, latest: [LatestValue]? = nil) throws -> GatewayStatus {
        let reader = try JournalReader(path: config.journalPath)
        let now = Clock.nowMilliseconds()
        let last = try latest.map { Dictionary($0.map { ($0.sensor, $0.receivedAt) }, uniquingKeysWith: max) } ?? reader.lastReadingPerSensor()
        let health = try HealthReport.measure(reader: reader, journalPath: config.journalPath, dataDirectory: config.dataDirectory)
        var lots: [Lot] = []
        for lot in config.traceability?.lots ?? [] {
            lots.append(Lot(id: lot.id, unsealed: try reader.unsealedCount(lot: lot.id, sensors: lot.sensors)))
        }
        return GatewayStatus(
            gatewayID: config.gatewayID, now: now,
            sources: config.sensors.map { Source(id: $0.id, profile: $0.profile, topic: $0.origin, lastReading: last[$0.id]) },
            health: health, journalPath: config.journalPath, durability: config.durability.rawValue,
            counters: try reader.counters(), readingsLastHour: try reader.readingsReceived(since: now - 3_600_000),
            bytesPerReading: health.readingsTotal > 0 ? Double(health.journalBytes) / Double(health.readingsTotal) : nil,
            lastBatch: try reader.lastBatchSummary(), lots: lots,
            uplinks: try reader.deliveryStatus(
                platforms: config.platforms.map(\.id), now: now, windowMilliseconds: uplinkRateWindow,
                claimsPlatforms: Set(config.platforms.filter { $0.kind == .claims }.map(\.id))),
            diskReadOnly: DiskSpace.isReadOnly(at: config.dataDirectory),
            clockHeld: try reader.clockHeldReadings(currentBoot: MonotonicClock.bootID()))
    }

    /// Less free space than SQLite needs to be sure of a commit: sawahd stores nothing.
    public var diskFull: Bool { health.freeDiskBytes.map { $0 < DiskSpace.fullBelowBytes } ?? false }

    /// Hours until the disk is full at the last hour's ingest rate; nil when nothing arrives.
    public var diskFullInHours: Double? {
        guard let free = health.freeDiskBytes, let perReading = bytesPerReading, readingsLastHour > 0 else { return nil }
        return Double(free) / (perReading * Double(readingsLastHour))
    }

    public var json: JSONValue {
        var sources: [JSONValue] = []
        for source in self.sources {
            sources.append(
                .object([
                    "id": .string(source.id), "profile": .string(source.profile), "topic": .string(source.topic),
                    "last_reading": source.lastReading.map { .string(EPCISTimestamp.format($0)) } ?? .null
                ]))
        }
        var object: [String: JSONValue] = [
            "gateway": .string(gatewayID), "time": .string(EPCISTimestamp.format(now)), "sources": .array(sources),
            "journal": .object([
                "path": .string(journalPath), "durability": .string(durability), "bytes": .number(Double(health.journalBytes)),
                "readings": .number(Double(health.readingsTotal)), "last_sequence": .number(Double(health.lastSequence)),
                "readings_last_hour": .number(Double(readingsLastHour)), "quarantined_total": .number(Double(health.quarantinedTotal)),
                "counters": .object(counters.mapValues { .number(Double($0)) })
            ]),
            "disk": .object([
                "free_bytes": health.freeDiskBytes.map { .number(Double($0)) } ?? .null,
                "full_in_hours": diskFullInHours.map { .number($0.rounded()) } ?? .null,
                "full": .bool(diskFull), "read_only": .bool(diskReadOnly)
            ]),
            "certificates": .object([
                "batches": .number(Double(health.batchesSealed)),
                "last_sealed": lastBatch.map { .string(EPCISTimestamp.format($0.createdAt)) } ?? .null,
                "unsealed": .object(Dictionary(uniqueKeysWithValues: lots.map { ($0.id, JSONValue.number(Double($0.unsealed))) }))
            ]),
            "uplinks": .array(uplinks.map(uplinkJSON)),
            "clock": health.clock?.json ?? .null,
            "clock_held": .object([
                "awaiting_sync": .number(Double(clockHeld.awaitingSync)),
                "never_synchronised": .number(Double(clockHeld.neverSynchronised))
            ])
        ]
        object["version"] = .string("1")
        return .object(object)
    }

    /// The one screen an operator reads.
    public var text: String {
        var lines: [String] = ["Sawah gateway \(gatewayID) — \(EPCISTimestamp.format(now))", "", "Sources"]
        for source in sources {
            let age = source.lastReading.map { "last reading \(Self.age(now - $0)) ago" } ?? "no reading yet"
            lines.append("  \(source.id) (\(source.profile), \(source.topic)): \(age)")
        }
        lines.append("")
        lines.append("Journal  \(journalPath) (\(durability) durability)")
        lines.append("  \(health.readingsTotal) readings, \(Self.bytes(health.journalBytes)), \(readingsLastHour) in the last hour")
        let evicted = counters.filter { $0.key.hasPrefix("evicted_") }.sorted { $0.key < $1.key }.map { "\($0.key.dropFirst(8)) \($0.value)" }
        lines.append(
            "  quarantined \(health.quarantinedTotal); evicted \(evicted.isEmpty ? "none" : evicted.joined(separator: ", ")); redeliveries skipped \(counters["mqtt_redeliveries_skipped"] ?? 0)"
        )
        let free = health.freeDiskBytes.map(Self.bytes) ?? "unknown"
        let full = diskFullInHours.map { $0 > 24 * 365 ? "more than a year" : "about \(Self.duration(hours: $0))" } ?? "not filling"
        if diskReadOnly {
            lines.append("  disk: READ-ONLY: sawahd cannot store readings and acknowledges none; the broker holds them")
        } else if diskFull {
            lines.append("  disk: FULL (\(free) free): sawahd cannot store readings and acknowledges none; the broker holds them until space is freed")
        } else {
            lines.append("  disk: \(free) free; full in \(full) at the last hour's rate")
        }
        lines.append("")
        if let clock = health.clock { lines.append("Clock  \(clock.text)") }
        if clockHeld.awaitingSync > 0 {
            lines.append("  \(clockHeld.awaitingSync) readings of this boot wait for the clock to be synchronised before they are sealed")
        }
        if clockHeld.neverSynchronised > 0 {
            lines.append(
                "  \(clockHeld.neverSynchronised) readings from boots that ended before their clock was synchronised: kept, flagged, never sealed (their time is unknown)"
            )
        }
        if health.clock != nil || clockHeld != ClockHeldReadings(awaitingSync: 0, neverSynchronised: 0) { lines.append("") }
        if lots.isEmpty {
            lines.append("Certificates  not configured ([traceability] in the config)")
        } else {
            let last = lastBatch.map { "batch \($0.number) sealed \(Self.age(now - $0.createdAt)) ago" } ?? "none sealed yet"
            lines.append("Certificates  \(health.batchesSealed) batches, \(last)")
            for lot in lots { lines.append("  \(lot.id): \(lot.unsealed) readings waiting to be sealed") }
        }
        lines.append("")
        lines += uplinkLines
        return lines.joined(separator: "\n")
    }

    static func age(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7_200 { return "\(seconds / 60) min" }
        if seconds < 172_800 { return "\(seconds / 3_600) h" }
        return "\(seconds / 86_400) days"
    }

    static func duration(hours: Double) -> String {
        hours < 48 ? "\(Int(hours.rounded())) hours" : "\(Int((hours / 24).rounded())) days"
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
