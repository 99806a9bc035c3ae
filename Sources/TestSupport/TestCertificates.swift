import Foundation

/// A throwaway CA and a server certificate for 127.0.0.1, made with the openssl command, for
/// tests of TLS to a real broker.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let serverCertFile: String
    public let serverKeyFile: String
    public let caKeyFile: String

    /// Writes `ca.pem`, `server.pem` and `server.key` (prefixed by `name`) into `directory`.
    public init(in directory: TemporaryDirectory, name: String = "test") throws {
        let ca = directory.file("\(name)-ca.pem")
        let caKey = directory.file("\(name)-ca.key")
        caFile = ca
        caKeyFile = caKey
        serverCertFile = directory.file("\(name)-server.pem")
        serverKeyFile = directory.file("\(name)-server.key")
        let csr = directory.file("\(name)-server.csr")
        let extensions = directory.file("\(name)-san.ext")
        try "subjectAltName = IP:127.0.0.1, DNS:localhost\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=Sawah test CA \(name)"
        ])
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", serverKeyFile, "-out", csr, "-subj", "/CN=127.0.0.1"
        ])
        try Self.openssl([
            "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
            "-out", serverCertFile, "-days", "2", "-extfile", extensions
        ])
    }

    /// Signs a CSR with this CA as a client certificate; returns the leaf and the CA, as the
    /// PEM chain `sawah identity install-cert` takes.
    public func signClient(csr: String, into directory: TemporaryDirectory, name: String) throws -> String {
        let leaf = directory.file("\(name)-client.pem")
        let extensions = directory.file("\(name)-client.ext")
        try "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\nextendedKeyUsage = clientAuth\n".write(
            toFile: extensions, atomically: true, encoding: .utf8)
        // The request's subject alternative names go through, as a gateway's CA would keep them.
        try Self.openssl([
            "x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKeyFile, "-CAcreateserial",
            "-out", leaf, "-days", "2", "-extfile", extensions, "-copy_extensions", "copy"
        ])
        let chain = directory.file("\(name)-chain.pem")
        try (try String(contentsOfFile: leaf, encoding: .utf8) + String(contentsOfFile: caFile, encoding: .utf8)).write(
            toFile: chain, atomically: true, encoding: .utf8)
        return chain
    }

    private static func openssl(_ arguments: [String]) throws {
        let result = try ChildProcess.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? ""): \(result.output)"])
        }
    }
}
