import CompressNIO
import Hummingbird

extension Request {
    /// The whole body, un-gzipped when `Content-Encoding: gzip`; nil when over `limit` bytes
    /// (before or after decompression).
    mutating func collectPayload(limit: Int) async throws -> [UInt8]? {
        var buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit + 1)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return nil
        }
        guard buffer.readableBytes <= limit else { return nil }
        if headers[.contentEncoding]?.lowercased() == "gzip" {
            do {
                buffer = try buffer.decompress(with: .gzip(), maxSize: limit + 1)
            } catch {
                throw HTTPError(.badRequest, message: "the gzip body does not decompress: \(error)")
            }
            guard buffer.readableBytes <= limit else { return nil }
        }
        return Array(buffer: buffer)
    }
}
