import ArgumentParser
import Foundation
import SawahCore
import SawahTraceability

struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "The gateway's signing key and its did:key.",
        subcommands: [Create.self, Show.self])

    /// The key file: --key, else [traceability] identity_key, else <data_dir>/identity.pem.
    struct KeyLocation: ParsableArguments {
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
        @Option(help: "Key file, instead of the one the config names.") var key: String?

        func resolve() throws -> (path: String, didWeb: String?) {
            if let key { return (key, nil) }
            do {
                let loaded = try GatewayConfiguration.load(path: config)
                return (loaded.traceability?.identityKeyFile ?? loaded.dataDirectory + "/identity.pem", loaded.traceability?.didWeb)
            } catch {
                throw ValidationError("cannot read \(config):\n\(error)")
            }
        }
    }

    static func describe(_ identity: GatewayIdentity, path: String) {
        print("key file:     \(path) (mode 0600)")
        print("did:          \(identity.did)")
        print("kid:          \(identity.verificationMethod)")
        print("fingerprint:  \(identity.fingerprint)  (RFC 7638 JWK thumbprint)")
        print("public JWK:   \(identity.jwk.json)")
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make the gateway's P-256 key (refuses to overwrite one).")
        @OptionGroup var location: KeyLocation

        func run() throws {
            let (path, didWeb) = try location.resolve()
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            do {
                IdentityCommand.describe(try GatewayIdentity.create(at: path, didWeb: didWeb), path: path)
            } catch {
                FileHandle.standardError.write(Data("sawah identity create: \(error)\n".utf8))
                throw ExitCode(73)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the did, kid, fingerprint and public JWK.")
        @OptionGroup var location: KeyLocation

        func run() throws {
            let (path, didWeb) = try location.resolve()
            do {
                IdentityCommand.describe(try GatewayIdentity.load(from: path, didWeb: didWeb), path: path)
            } catch {
                FileHandle.standardError.write(Data("sawah identity show: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
