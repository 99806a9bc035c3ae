import Foundation
import Glibc
import TestSupport
import Testing

/// A client cannot hold the platform's sockets: connections past the cap are closed at once,
/// and a connection that stops sending (a header never finished) is closed when idle.
@Suite(.serialized) struct ConnectionBoundsTests {
    /// A TCP connection to 127.0.0.1:`port`, with a receive timeout.
    static func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// True when the platform has closed `fd` (read returns 0 or a reset) within the timeout.
    static func closedByPeer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = read(fd, &byte, 1)
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    @Test func connectionsPastTheCapAreClosedAndAStalledHeaderTimesOut() throws {
        let platform = try PlatformProcess(arguments: ["--max-connections", "4", "--idle-timeout", "2"])
        defer { platform.remove() }
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        for _ in 0..<4 {
            let fd = try Self.connect(platform.port)
            _ = "GET /stats HTTP/1.1\r\nHost: x\r\n".withCString { write(fd, $0, strlen($0)) }  // never finished
            held.append(fd)
        }
        usleep(300_000)
        let extra = try Self.connect(platform.port)
        held.append(extra)
        #expect(Self.closedByPeer(extra), "the fifth connection is closed at once")
        // The four stalled headers are closed once idle (2 s here).
        let started = Date()
        #expect(held.prefix(4).allSatisfy { Self.closedByPeer($0) }, "stalled connections closed")
        #expect(Date().timeIntervalSince(started) < 5)
        // And the platform serves again.
        let fresh = try Self.connect(platform.port)
        held.append(fresh)
        _ = "GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".withCString { write(fresh, $0, strlen($0)) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fresh, &buffer, buffer.count)
        #expect(n > 0 && String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
    }

    /// A request that trickles in, one byte at a time, is never idle; it is closed when it has
    /// not arrived whole within --request-timeout.
    @Test func aTricklingRequestIsClosedAtItsDeadline() throws {
        let platform = try PlatformProcess(arguments: ["--idle-timeout", "30", "--request-timeout", "2"])
        defer { platform.remove() }
        let fd = try Self.connect(platform.port)
        defer { close(fd) }
        _ = "POST /capture HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".withCString { write(fd, $0, strlen($0)) }
        let started = Date()
        var closed = false
        var byte: UInt8 = 0
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while Date().timeIntervalSince(started) < 8 {
            _ = "{".withCString { write(fd, $0, 1) }
            let n = read(fd, &byte, 1)
            if n == 0 || (n < 0 && errno == ECONNRESET) {
                closed = true
                break
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(closed, "the trickling request was never closed")
        #expect(elapsed >= 1.5 && elapsed < 5, "closed after \(elapsed) s")
        let stats = try Self.get("/stats", port: platform.port)
        #expect(stats.contains("\"requests_timed_out\":1"), "\(stats)")
    }

    /// The answer to a plain GET, headers and body, as text.
    static func get(_ path: String, port: Int) throws -> String {
        let fd = try connect(port)
        defer { close(fd) }
        _ = "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".withCString { write(fd, $0, strlen($0)) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            answer += buffer.prefix(n)
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
