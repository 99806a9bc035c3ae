import Crypto
import FoundationEssentials
import SawahCore

/// The canonical serialisation of a batch's readings, whose digest the certificate signs.
///
/// Format `sawah-raw-series/1`, UTF-8, one line per reading, `\n` after every line:
/// ```
/// sawah-raw-series/1
/// seq,sensor,quantity,value,unit,observed_at,received_at,quality
/// 17,plot1-soil-temp,soil_temperature,24.5,CEL,2026-11-29T06:00:00.000Z,2026-11-29T06:00:00.120Z,0
/// ```
/// Readings in ascending `seq`; `value` in the event hash's number form (shortest round-trip,
/// no trailing zeros); times UTC with milliseconds; `quality` the flag bits as a decimal.
/// Sensor and quantity names are identifiers (letters, digits, `-`, `_`), so no quoting is
/// ever needed. Anyone holding the readings can rebuild these bytes and check the digest.
public enum RawSeries {
    public static let mediaType = "text/csv"
    public static let header = "sawah-raw-series/1\nseq,sensor,quantity,value,unit,observed_at,received_at,quality\n"

    public struct Row: Sendable, Equatable {
        public var seq: Int64
        public var reading: Reading

        public init(seq: Int64, reading: Reading) {
            self.seq = seq
            self.reading = reading
        }
    }

    public static func serialize(_ rows: [Row]) -> [UInt8] {
        var writer = Writer(capacity: rows.count)
        for row in rows.sorted(by: { $0.seq < $1.seq }) { writer.append(seq: row.seq, reading: row.reading) }
        return writer.bytes
    }

    /// Writes the serialisation row by row, for callers that stream rows in seq order from
    /// the journal rather than hold them all (the uplink, on a small board).
    public struct Writer: Sendable {
        public private(set) var bytes: [UInt8]
        public private(set) var rows = 0
        private var lastSeq = Int64.min

        public init(capacity: Int = 0) {
            bytes = Array(header.utf8)
            bytes.reserveCapacity(header.utf8.count + capacity * 96)
        }

        /// Rows must come in ascending seq order, as `serialize` sorts them.
        public mutating func append(seq: Int64, reading r: Reading) {
            precondition(seq > lastSeq, "raw series rows must be appended in ascending seq order")
            lastSeq = seq
            rows += 1
            let line =
                "\(seq),\(r.sensor),\(r.quantity),\(HashNumberFormat.format(r.value)),\(r.unit),"
                + "\(EPCISTimestamp.format(r.observedAt)),\(EPCISTimestamp.format(r.receivedAt)),\(r.quality.rawValue)\n"
            bytes.append(contentsOf: line.utf8)
        }
    }

    /// Parses the serialisation back; nil with the line number when it is not one.
    public static func parse(_ bytes: [UInt8]) -> Result<[Row], RawSeriesError> {
        guard let text = String(validating: bytes, as: UTF8.self), text.hasPrefix(header) else {
            return .failure(RawSeriesError(line: 1, problem: "not a sawah-raw-series/1 file"))
        }
        var rows: [Row] = []
        for (index, line) in text.dropFirst(header.count).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 8, let seq = Int64(fields[0]), let value = Double(fields[3]),
                let observed = EPCISTimestamp.milliseconds(String(fields[5])),
                let received = EPCISTimestamp.milliseconds(String(fields[6])), let quality = Int64(fields[7])
            else { return .failure(RawSeriesError(line: index + 3, problem: "expected 8 fields: \(line.prefix(80))")) }
            rows.append(
                Row(
                    seq: seq,
                    reading: Reading(
                        sensor: String(fields[1]), quantity: String(fields[2]), value: value, unit: String(fields[4]),
                        observedAt: observed, receivedAt: received, source: "", quality: QualityFlags(rawValue: quality))))
        }
        return .success(rows)
    }
}

public struct RawSeriesError: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var problem: String
    public var description: String { "raw series line \(line): \(problem)" }
}

/// Subresource Integrity digests (`sha256-<base64>`), as VC 2.0 `digestSRI` uses them.
public enum DigestSRI {
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        "sha256-" + Data(SHA256.hash(data: Array(bytes))).base64EncodedString()
    }

    /// The SHA-256 digest in lowercase hex, as UNTP's SecureLink `hashDigest` carries it.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
