import Foundation
import SawahCore
import SawahPages
import SawahTraceability

/// What `sawah certificates export` writes beside the bundles for a person without Sawah:
/// `verify.html`, which checks them in a browser, and `alarm-thresholds.json`, the configured
/// alarm limits per quantity that the page draws on its plots. The thresholds are not part of
/// any certificate; the page says so.
enum VerifierPageFiles {
    static func write(to directory: String, alarms: [String: ClosedRange<Double>]?) throws {
        try Data(Pages.verifier.html).write(to: URL(fileURLWithPath: "\(directory)/verify.html"))
        guard let alarms, !alarms.isEmpty else { return }
        var limits: [String: JSONValue] = [:]
        for (quantity, range) in alarms { limits[quantity] = .object(["min": .number(range.lowerBound), "max": .number(range.upperBound)]) }
        try Data(JSONText.serialize(.object(limits)).utf8).write(to: URL(fileURLWithPath: "\(directory)/alarm-thresholds.json"))
    }
}
