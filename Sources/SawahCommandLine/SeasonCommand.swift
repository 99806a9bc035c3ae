import ArgumentParser
import SawahCore
import SawahJournal
import SawahTraceability

/// `sawah season start|transplant|harvest|end --plot P`: the operator states a plot's season
/// boundaries, which the AWD claim reads and never infers. Each is an EPCIS event signed into
/// the chain. The order is checked: a season starts, may be transplanted and harvested once
/// each, and ends; times never go back.
struct SeasonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "season",
        abstract: "Record a plot's season boundary (start = first flooding, transplant, harvest, end) as a signed EPCIS event.",
        discussion: "The plot must be one of [[claims.awd]]. Without --at the time is now, which needs a synchronised clock.")

    @Argument(help: "start, transplant, harvest or end.") var stage: String
    @Option(help: "The plot, as [[claims.awd]] names it.") var plot: String
    @Option(help: "When it happened: 2026-07-01, 2026-07-01T06:00:00Z or ms since 1970 (default: now).") var at: TimeArgument?
    @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

    func run() throws {
        guard let stage = ChainRecord.SeasonStage(rawValue: stage) else {
            throw ValidationError("expected start, transplant, harvest or end, found \"\(self.stage)\"")
        }
        let appender = try RecordAppender(configPath: config)
        guard appender.config.claims.awd.contains(where: { $0.plot == plot }) else {
            let known = appender.config.claims.awd.map(\.plot)
            throw ValidationError("no plot \(plot) in [[claims.awd]] of \(config)\(known.isEmpty ? "" : "; known: " + known.joined(separator: ", "))")
        }
        let time = try appender.time(at)
        let reader = try JournalReader(path: appender.config.journalPath)
        var earlier: [(stage: ChainRecord.SeasonStage, time: Int64)] = []
        for link in try reader.recordLinks(kind: "season", subject: plot) {
            if case .success(.season(_, let stage, let time)) = ChainRecord.parse(epcis: link.epcis) { earlier.append((stage, time)) }
        }
        if let problem = Self.problem(adding: stage, at: time, after: earlier) { throw ValidationError("plot \(plot): \(problem)") }
        let number = try appender.append(.season(plot: plot, stage: stage, time: time))
        print("batch \(number): season \(stage.rawValue) of plot \(plot) at \(EPCISTimestamp.format(time))")
    }

    /// Why `stage` at `time` cannot follow the plot's earlier records, or nil.
    static func problem(adding stage: ChainRecord.SeasonStage, at time: Int64, after earlier: [(stage: ChainRecord.SeasonStage, time: Int64)]) -> String? {
        let open = earlier.last.map { $0.stage != .end } ?? false
        if let last = earlier.last, time < last.time {
            return
                "\(stage.rawValue) at \(EPCISTimestamp.format(time)) is before the last record (\(last.stage.rawValue) at \(EPCISTimestamp.format(last.time)))"
        }
        switch stage {
        case .start:
            return open ? "a season is already open (started \(EPCISTimestamp.format(earlier.last { $0.stage == .start }?.time ?? 0))); end it first" : nil
        case .transplant, .harvest, .end:
            guard open else { return "no open season: record start first" }
            let since = earlier.suffix(while: { $0.stage != .end })
            if stage != .end && since.contains(where: { $0.stage == stage }) { return "this season already has a \(stage.rawValue) record" }
            if stage == .transplant && since.contains(where: { $0.stage == .harvest }) { return "transplant after harvest" }
            return nil
        }
    }
}

extension Array {
    /// The longest tail whose elements all satisfy `predicate`.
    fileprivate func suffix(while predicate: (Element) -> Bool) -> ArraySlice<Element> {
        var start = endIndex
        while start > startIndex && predicate(self[start - 1]) { start -= 1 }
        return self[start...]
    }
}
