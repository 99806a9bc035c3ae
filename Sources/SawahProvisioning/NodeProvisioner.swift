import Foundation
import SawahCore

/// Credentials for field nodes on the gateway's own broker: a random secret per node, kept in
/// `<data_dir>/nodes/<node>.secret` (mode 0600, created exclusively), its hash in the broker's
/// password file, and its topics in the ACL.
public struct NodeProvisioner {
    public let config: GatewayConfiguration

    public init(config: GatewayConfiguration) {
        self.config = config
    }

    public struct Credentials: Sendable {
        public var node: String
        public var password: String
        public var topics: [String]
        public var secretFile: String
    }

    public func secretFile(for node: String) -> String { config.dataDirectory + "/nodes/\(node).secret" }

    /// Writes `mosquitto.conf`, the ACL, and the password file (with the gateway's own user
    /// when `[mqtt] username` and `password_file` are set). Node entries already present stay.
    public func renderBroker() throws(ProvisioningError) -> [String] {
        let broker = config.broker
        let problems = BrokerRenderer.aclProblems(config)
        guard problems.isEmpty else {
            throw .other("\(config.file): the broker's ACL cannot keep nodes apart:\n  " + problems.joined(separator: "\n  "))
        }
        var passwords = try PasswordFile.load(broker.passwordFile)
        if let user = config.mqtt.username {
            guard let file = config.mqtt.passwordFile else {
                throw .other("[mqtt] username \(user) needs password_file, so the broker can be given the same password")
            }
            if let exposure = SecretFile.exposure(file) { throw .other(exposure) }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw .unreadable(file) }
            let password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !password.isEmpty else { throw .other("\(file) holds no password") }
            passwords.set(user, hash: try hash(password))
        }
        try passwords.write(to: broker.passwordFile)
        try ProvisioningFiles.writeAtomically(BrokerRenderer.acl(config, nodes: nodes(in: passwords)), to: broker.aclFile, mode: 0o640)
        try ProvisioningFiles.writeAtomically(BrokerRenderer.mosquittoConf(config), to: broker.configFile, mode: 0o644)
        return [broker.configFile, broker.passwordFile, broker.aclFile]
    }

    /// Creates (or with `rotate`, replaces) a node's credentials; returns them, the only time
    /// the password is shown.
    public func add(node: String, rotate: Bool = false) throws(ProvisioningError) -> Credentials {
        guard Identifier.isValid(node), node != config.mqtt.username else { throw .invalidNode(node) }
        guard BrokerRenderer.configuredNodes(config).contains(node) else { throw .unknownNode(node) }
        let problems = BrokerRenderer.aclProblems(config)
        guard problems.isEmpty else {
            throw .other("\(config.file): the broker's ACL cannot keep nodes apart:\n  " + problems.joined(separator: "\n  "))
        }
        let path = secretFile(for: node)
        if FileManager.default.fileExists(atPath: path) {
            guard rotate else { throw .nodeExists(node, secretFile: path) }
            try? FileManager.default.removeItem(atPath: path)
        }
        let password = Self.generateSecret()
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw .unwritable(path, error.localizedDescription)
        }
        try ProvisioningFiles.createExclusive(path, contents: password + "\n", mode: 0o600)
        var passwords = try PasswordFile.load(config.broker.passwordFile)
        passwords.set(node, hash: try hash(password))
        try passwords.write(to: config.broker.passwordFile)
        try ProvisioningFiles.writeAtomically(BrokerRenderer.acl(config, nodes: nodes(in: passwords)), to: config.broker.aclFile, mode: 0o640)
        return Credentials(node: node, password: password, topics: BrokerRenderer.topics(for: node, in: config), secretFile: path)
    }

    /// The node's password, for `sawah firmware render` (never printed by it).
    public func password(for node: String) throws(ProvisioningError) -> String {
        let path = secretFile(for: node)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .other("node \(node) has no credentials yet (\(path)): run `sawah node add \(node)`")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func nodes(in passwords: PasswordFile) -> [String] {
        passwords.users.filter { $0 != config.mqtt.username }
    }

    private func hash(_ password: String) throws(ProvisioningError) -> String {
        do { return try MosquittoPasswordHash.hash(password: password) } catch { throw .other("hashing a password failed: \(error)") }
    }

    /// 24 characters from a 62-letter alphabet (~143 bits), safe in YAML and shell.
    static func generateSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
