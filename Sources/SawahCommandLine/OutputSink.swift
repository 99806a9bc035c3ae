import Foundation

/// Buffered line output to a file or standard output.
final class OutputSink {
    private let handle: FileHandle
    private var buffer = Data()
    private let closeAtEnd: Bool

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            closeAtEnd = true
        } else {
            handle = FileHandle.standardOutput
            closeAtEnd = false
        }
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0a)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() {
        flush()
        if closeAtEnd { try? handle.close() }
    }
}

/// A progress line on standard error, only when standard error is a terminal: a long export
/// to a file shows how far it is; a pipe or a log gets nothing.
final class ProgressLine {
    private let total: Int64
    /// Standard error is a terminal.
    static var enabled: Bool { isatty(2) == 1 }
    private let enabled = ProgressLine.enabled
    private var lastDraw = Date.distantPast

    init(total: Int64) {
        self.total = total
    }

    func update(_ done: Int64) {
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let percent = total > 0 ? Int(done * 100 / total) : 100
        FileHandle.standardError.write(Data("\r\(done) of \(total) readings (\(percent)%)".utf8))
    }

    func finish(_ done: Int64) {
        if enabled { FileHandle.standardError.write(Data("\r\(done) of \(total) readings (100%)\n".utf8)) }
    }
}
