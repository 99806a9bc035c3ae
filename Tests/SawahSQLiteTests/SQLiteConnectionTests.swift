import TestSupport
import Testing

@testable import SawahSQLite

@Suite struct SQLiteConnectionTests {
    let directory: TemporaryDirectory
    let db: SQLiteConnection

    init() throws {
        directory = try TemporaryDirectory()
        db = try SQLiteConnection(path: directory.file("test.sqlite"))
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, value REAL, data BLOB)")
    }

    @Test func roundTripsEveryColumnType() throws {
        let insert = try db.prepare("INSERT INTO t (name, value, data) VALUES (?, ?, ?)")
        try insert.bind("probe-1", at: 1)
        try insert.bind(-12.5, at: 2)
        try insert.bind([0, 255, 7], at: 3)
        try insert.step()
        #expect(db.lastInsertRowID == 1)
        let select = try db.prepare("SELECT id, name, value, data FROM t")
        #expect(try select.step())
        #expect(select.int64(0) == 1)
        #expect(select.text(1) == "probe-1")
        #expect(select.double(2) == -12.5)
        #expect(select.blob(3) == [0, 255, 7])
        #expect(try select.step() == false)
    }

    @Test func textWithANulIsStoredWhole() throws {
        let text = "before\u{0}after — é"
        let insert = try db.prepare("INSERT INTO t (name, value, data) VALUES (?, 0, x'')")
        try insert.bind(text, at: 1)
        try insert.step()
        let select = try db.prepare("SELECT name, length(CAST(name AS BLOB)) FROM t")
        #expect(try select.step())
        #expect(select.text(0) == text, "the text after the NUL is kept")
        #expect(select.int64(1) == Int64(text.utf8.count))
        let empty = try db.prepare("SELECT ?")
        try empty.bind("", at: 1)
        #expect(try empty.step() && empty.text(0) == "")
    }

    @Test func errorsNameTheStatementAndTheCause() throws {
        #expect {
            _ = try db.prepare("SELECT nope FROM t")
        } throws: { error in
            let text = "\(error)"
            return text.contains("no such column: nope") && text.contains("SELECT nope FROM t")
        }
    }

    @Test func constraintViolationsAreRecognised() throws {
        try db.execute("INSERT INTO t (name) VALUES ('a')")
        #expect {
            try db.execute("INSERT INTO t (name) VALUES ('a')")
        } throws: { error in
            (error as? SQLiteError)?.isConstraint == true
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO t (name) VALUES ('lost')")
                throw Boom()
            }
        }
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 0)
        try db.transaction { try db.execute("INSERT INTO t (name) VALUES ('kept')") }
        #expect(try db.scalarInt("SELECT COUNT(*) FROM t") == 1)
    }

    @Test func openingAMissingFileWithoutCreateFails() {
        #expect(throws: SQLiteError.self) {
            _ = try SQLiteConnection(path: directory.file("absent/x.sqlite"), mode: .readWrite(create: false))
        }
    }
}
