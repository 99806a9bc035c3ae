import Foundation

/// A throwaway CA and a server certificate for 127.0.0.1, made with the openssl command, for
/// tests of TLS to a real broker.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let serverCertFile: String
    public let serverKeyFile: String

    /// Writes `ca.pem`, `server.pem` and `server.key` (prefixed by `name`) into `directory`.
    public init(in directory: TemporaryDirectory, name: String = "test") throws {
        let ca = directory.file("\(name)-ca.pem")
        let caKey = directory.file("\(name)-ca.key")
        caFile = ca
        serverCertFile = directory.file("\(name)-server.pem")
        serverKeyFile = directory.file("\(name)-server.key")
        let csr = directory.file("\(name)-server.csr")
        let extensions = directory.file("\(name)-san.ext")
        try "subjectAltName = IP:127.0.0.1, DNS:localhost\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=Sawah test CA \(name)"])
        try Self.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", serverKeyFile, "-out", csr, "-subj", "/CN=127.0.0.1"])
        try Self.openssl(["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
                          "-out", serverCertFile, "-days", "2", "-extfile", extensions])
    }

    private static func openssl(_ arguments: [String]) throws {
        let result = try ChildProcess.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? ""): \(result.output)"])
        }
    }
}
