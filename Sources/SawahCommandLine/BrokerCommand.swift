import ArgumentParser
import Foundation
import SawahCore
import SawahProvisioning

/// `sawah broker render`: the gateway's own mosquitto configuration, password file and ACL.
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "The gateway's own MQTT broker.",
        subcommands: [Render.self])

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write mosquitto.conf, the password file and the ACL into [broker] directory.",
            discussion: """
                Listeners, persistence and queue limits come from [broker]; sawahd's own user from [mqtt] username and \
                password_file; each node added with `sawah node add` keeps its credentials and gets write access to its \
                own topics only. Point mosquitto at it: `mosquitto -c /etc/sawah/broker/mosquitto.conf` (or include it \
                from /etc/mosquitto/conf.d/).
                """)
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

        func run() throws {
            let loaded = try SawahCoreBridge.config(config)
            do {
                for file in try NodeProvisioner(config: loaded).renderBroker() { print("wrote \(file)") }
            } catch {
                FileHandle.standardError.write(Data("sawah broker render: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

/// `sawah node add|list`: credentials for field nodes on the gateway's broker.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Field nodes: their broker credentials and topics.",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a node's broker credentials and ACL entry, and print what to flash (the password is shown this once).")
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
        @Argument(help: "The node id, as [[sensors]] name it in `node`.") var node: String
        @Flag(help: "Replace existing credentials (the node must be flashed again).") var rotate = false

        func run() throws {
            let loaded = try SawahCoreBridge.config(config)
            do {
                let credentials = try NodeProvisioner(config: loaded).add(node: node, rotate: rotate)
                print(
                    """
                    node \(credentials.node): credentials created (the broker rereads them on SIGHUP: systemctl reload mosquitto)
                      broker:   \(loaded.broker.listenAddress == "0.0.0.0" ? "<this gateway's address>" : loaded.broker.listenAddress):\(loaded.broker.port)
                      username: \(credentials.node)
                      password: \(credentials.password)
                      may publish to: \(credentials.topics.joined(separator: ", "))
                    The password is kept in \(credentials.secretFile) (mode 0600) for `sawah firmware render`; it is not shown again.
                    """)
            } catch {
                FileHandle.standardError.write(Data("sawah node add: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Nodes named by the config, whether they have credentials, and their topics.")
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"

        func run() throws {
            let loaded = try SawahCoreBridge.config(config)
            let provisioner = NodeProvisioner(config: loaded)
            for node in BrokerRenderer.configuredNodes(loaded) {
                let has = FileManager.default.fileExists(atPath: provisioner.secretFile(for: node))
                print(
                    "\(node)  \(has ? "credentials set" : "no credentials (sawah node add \(node))")  topics: \(BrokerRenderer.topics(for: node, in: loaded).joined(separator: ", "))"
                )
            }
        }
    }
}
