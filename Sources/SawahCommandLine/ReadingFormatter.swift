import Foundation
import SawahCore
import SawahJournal
import SawahTraceability

/// The three ways a reading is written out: a line for people, CSV, and JSON Lines.
enum ReadingFormatter {
    static let csvHeader = "seq,sensor,quantity,value,unit,observed_at,received_at,source,quality"

    static func human(_ row: JournalReading) -> String {
        let r = row.reading
        let flags = r.quality.names.isEmpty ? "" : "  [" + r.quality.names.joined(separator: ",") + "]"
        return
            "\(row.seq)  \(EPCISTimestamp.format(r.observedAt))  \(ControlCharacters.escaped(r.sensor))  \(ControlCharacters.escaped(r.quantity)) = \(number(r.value)) \(r.unit)\(flags)\(linkText(r.link))"
    }

    /// "  (RSSI -97 dBm, SNR 6.5 dB)" for readings that came over LoRaWAN.
    static func linkText(_ link: LinkQuality?) -> String {
        guard let link else { return "" }
        var parts: [String] = []
        if let rssi = link.rssi { parts.append("RSSI \(number(rssi)) dBm") }
        if let snr = link.snr { parts.append("SNR \(number(snr)) dB") }
        return parts.isEmpty ? "" : "  (" + parts.joined(separator: ", ") + ")"
    }

    static func csv(_ row: JournalReading) -> String {
        let r = row.reading
        return [
            String(row.seq), field(r.sensor), field(r.quantity), number(r.value), r.unit,
            EPCISTimestamp.format(r.observedAt), EPCISTimestamp.format(r.receivedAt), field(r.source), r.quality.names.joined(separator: "|")
        ]
        .joined(separator: ",")
    }

    static func jsonLine(_ row: JournalReading) -> String {
        let r = row.reading
        var object: [String: Any] = [
            "seq": row.seq, "sensor": r.sensor, "quantity": r.quantity, "value": r.value, "unit": r.unit,
            "observed_at": EPCISTimestamp.format(r.observedAt), "received_at": EPCISTimestamp.format(r.receivedAt),
            "source": r.source, "quality": r.quality.names
        ]
        if let link = r.link {
            var metadata: [String: Any] = [:]
            if let rssi = link.rssi { metadata["rssi_dbm"] = rssi }
            if let snr = link.snr { metadata["snr_db"] = snr }
            object["link"] = metadata
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Shortest text that reads back as the same Double.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// RFC 4180 quoting where needed.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
