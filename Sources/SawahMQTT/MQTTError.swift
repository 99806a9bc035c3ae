import CMosquitto

/// A libmosquitto failure: the library's result code, its text, and what Sawah was doing.
public struct MQTTError: Error, CustomStringConvertible, Sendable {
    /// The `mosq_err_t` value.
    public let code: Int32
    /// What the gateway was attempting, for example `connect to 127.0.0.1:1883`.
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String {
        "MQTT \(operation) failed: \(MQTTError.text(for: code)) (code \(code))"
    }

    /// libmosquitto's text for a result code; `MOSQ_ERR_ERRNO` is spelled out from errno.
    static func text(for code: Int32) -> String {
        String(cString: mosquitto_strerror(code))
    }

    /// The one place where result codes become Swift errors.
    static func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws {
        guard rc == Int32(MOSQ_ERR_SUCCESS.rawValue) else {
            throw MQTTError(code: rc, operation: operation())
        }
    }
}
