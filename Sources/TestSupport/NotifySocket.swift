import Foundation

/// A UNIX datagram socket playing systemd's part: it receives what a service sends to
/// `NOTIFY_SOCKET`. A path socket, or an abstract one (`@name`).
public final class NotifySocket: @unchecked Sendable {
    // @unchecked Sendable: the descriptor is immutable; reads happen on the test's task.
    public let fd: Int32
    /// The value to put in `NOTIFY_SOCKET`.
    public let address: String

    public init(path: String? = nil, abstractName: String? = nil) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes: [UInt8]
        if let abstractName {
            bytes = [0] + Array(abstractName.utf8)
            address = "@" + abstractName
        } else {
            let path = path ?? "/tmp/sawah-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            unlink(path)
            bytes = Array(path.utf8)
            address = path
        }
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstractName == nil ? 1 : 0))
        let rc = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
    }

    deinit {
        close(fd)
        if !address.hasPrefix("@") { unlink(address) }
    }

    /// The next datagram, or nil when none arrives within `timeout` seconds.
    public func receive(timeout: TimeInterval) -> String? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }

    /// Waits for a datagram containing `text`; returns it, or nil on timeout.
    public func waitFor(_ text: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let message = receive(timeout: deadline.timeIntervalSinceNow), message.contains(text) { return message }
        }
        return nil
    }

    /// Everything received within `seconds`.
    public func drain(for seconds: TimeInterval) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var messages: [String] = []
        while Date() < deadline {
            if let message = receive(timeout: max(0.01, deadline.timeIntervalSinceNow)) { messages.append(message) }
        }
        return messages
    }
}
