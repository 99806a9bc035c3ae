import SawahCore
import SawahSQLite
import SawahTraceability

/// A capture job as `GET /capture/{id}` shows it.
struct CaptureJob: Sendable {
    var id: Int64
    var createdAt: Int64
    var finishAt: Int64
    var success: Bool
    var behaviour: String
    var errors: [JSONValue]

    func json(now: Int64) -> JSONValue {
        let running = now < finishAt
        var object: [String: JSONValue] = [
            "captureID": .string(String(id)), "createdAt": .string(EPCISTimestamp.format(createdAt)),
            "running": .bool(running), "success": .bool(running ? true : success),
            "captureErrorBehaviour": .string(behaviour), "errors": .array(running ? [] : errors)
        ]
        if !running { object["finishedAt"] = .string(EPCISTimestamp.format(finishAt)) }
        return .object(object)
    }
}

extension PlatformStore {
    /// Captures the events of one document as one job: each event's `eventID` must be its CBV
    /// canonical hash and new to the platform. With `rollback` any error stores nothing; with
    /// `proceed` the good events are stored and the errors listed.
    func capture(events: [JSONValue], context: JSONValue?, behaviour: String, bytes: Int, now: Int64, finishAt: Int64) throws -> CaptureJob {
        // Canonical hashing is the costly part: done before the store's lock is taken, so a
        // large or hostile document delays no other client.
        let hasher = EventHash(context: context)
        let hashes: [(id: String, expected: String)?] = events.map { event in
            guard case .object(var members) = event, case .string(let id)? = members["eventID"] else { return nil }
            members.removeValue(forKey: "eventID")
            return (id, hasher.eventID(for: .object(members)))
        }
        return try with { db in
            try db.transaction {
                var errors: [JSONValue] = []
                var accepted: [(String, JSONValue)] = []
                var seen: Set<String> = []
                let exists = try db.prepare("SELECT 1 FROM events WHERE event_id = ?")
                for (index, event) in events.enumerated() {
                    guard let (id, expected) = hashes[index] else {
                        errors.append(Problem.entry(type: "epcisException:ValidationException", title: "Event without eventID", detail: "event \(index)"))
                        continue
                    }
                    if expected != id {
                        errors.append(
                            Problem.entry(
                                type: "epcisException:ValidationException", title: "eventID is not the event's canonical hash",
                                detail: "event \(index): \(id), but its content hashes to \(expected)"))
                        continue
                    }
                    exists.reset()
                    try exists.bind(id, at: 1)
                    if try exists.step() || !seen.insert(id).inserted {
                        try bump("duplicate_events", in: db)
                        errors.append(
                            Problem.entry(
                                type: "epcisException:ValidationException", title: "Duplicate eventID",
                                detail: "\(id) was captured before"))
                        continue
                    }
                    accepted.append((id, event))
                }
                let store = behaviour == "proceed" || errors.isEmpty
                let job = try db.prepare(
                    """
                    INSERT INTO captures (created_at, finish_at, success, behaviour, errors, events, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                try job.bind(now, at: 1)
                try job.bind(finishAt, at: 2)
                try job.bind(errors.isEmpty ? 1 : 0, at: 3)
                try job.bind(behaviour, at: 4)
                try job.bind(JSONText.serialize(.array(errors)), at: 5)
                try job.bind(events.count, at: 6)
                try job.bind(bytes, at: 7)
                try job.step()
                let id = db.lastInsertRowID
                if store {
                    let insert = try db.prepare("INSERT INTO events (event_id, capture_id, event, received_at) VALUES (?, ?, ?, ?)")
                    for (eventID, event) in accepted {
                        insert.reset()
                        try insert.bind(eventID, at: 1)
                        try insert.bind(String(id), at: 2)
                        try insert.bind(JSONText.serialize(event), at: 3)
                        try insert.bind(now, at: 4)
                        try insert.step()
                    }
                }
                return CaptureJob(id: id, createdAt: now, finishAt: finishAt, success: errors.isEmpty, behaviour: behaviour, errors: errors)
            }
        }
    }

    func job(_ id: Int64) throws -> CaptureJob? {
        try with { db in
            let query = try db.prepare("SELECT created_at, finish_at, success, behaviour, errors FROM captures WHERE id = ?")
            try query.bind(id, at: 1)
            guard try query.step() else { return nil }
            let errors: [JSONValue]
            if case .array(let list) = (try? JSONValue.parse(Array(query.text(4).utf8))) ?? .array([]) { errors = list } else { errors = [] }
            return CaptureJob(
                id: id, createdAt: query.int64(0), finishAt: query.int64(1), success: query.int64(2) == 1,
                behaviour: query.text(3), errors: errors)
        }
    }

    /// The stored event, as JSON text, or nil.
    func event(_ id: String) throws -> String? {
        try with { db in
            let query = try db.prepare("SELECT event FROM events WHERE event_id = ?")
            try query.bind(id, at: 1)
            return try query.step() ? query.text(0) : nil
        }
    }
}
