import Testing

@testable import SawahCore

/// `value(at:)` reads every configured field of every message: the one-component fast path
/// must answer exactly as the general walk does.
@Suite struct JSONValuePathTests {
    static let document: JSONValue = .object([
        "temperature": .number(21.5),
        "uplink_message": .object(["decoded_payload": .object(["moisture": .number(33)])]),
        "list": .array([.number(1), .object(["x": .string("y")])]),
        "a.b": .number(7)
    ])

    @Test(arguments: [
        ("temperature", JSONValue.number(21.5)),
        ("uplink_message.decoded_payload.moisture", .number(33)),
        ("list.1.x", .string("y")),
        ("list.0", .number(1)),
        ("", document),
        ("$", document)
    ])
    func aPathFindsItsValue(path: String, expected: JSONValue) {
        #expect(Self.document.value(at: path) == expected)
    }

    @Test(arguments: ["humidity", "temperature.x", "list.2", "list.-1", "uplink_message.nothing", "a.b"])
    func aPathThatLeadsNowhereIsNil(path: String) {
        #expect(Self.document.value(at: path) == nil, "\(path)")
    }

    @Test func anArrayAtTheTopTakesAnIndex() {
        let list: JSONValue = .array([.string("first"), .string("second")])
        #expect(list.value(at: "1") == .string("second"))
        #expect(list.value(at: "2") == nil && list.value(at: "x") == nil)
        #expect(JSONValue.number(3).value(at: "x") == nil)
    }
}
