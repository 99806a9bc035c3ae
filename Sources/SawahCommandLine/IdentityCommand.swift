import ArgumentParser
import Foundation
import SawahCore
import SawahJournal
import SawahTraceability

struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "The gateway's signing key and its did:key.",
        subcommands: [Create.self, Show.self, CSR.self, InstallCert.self, Rotate.self])

    /// The key file: --key, else [traceability] identity_key, else <data_dir>/identity.pem.
    struct KeyLocation: ParsableArguments {
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
        @Option(help: "Key file, instead of the one the config names.") var key: String?

        func resolve() throws -> (path: String, didWeb: String?) {
            let (path, didWeb, _) = try resolveWithGateway()
            return (path, didWeb)
        }

        /// The key, did:web and gateway id the config names (no gateway id with `--key`).
        func resolveWithGateway() throws -> (path: String, didWeb: String?, gatewayID: String?) {
            if let key { return (key, nil, nil) }
            do {
                let loaded = try GatewayConfiguration.load(path: config)
                return (loaded.traceability?.identityKeyFile ?? loaded.dataDirectory + "/identity.pem", loaded.traceability?.didWeb, loaded.gatewayID)
            } catch {
                throw SawahCoreBridge.unusable(config, error)
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

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the signing key: the chain continues with a certificate, signed by the old key, that names the new one.",
            discussion: """
                The new key is written beside the old one (…​.new, mode 0600), the rotation certificate is committed to \
                the journal, then the new key takes the old one's place and the old one is kept as …​.retired-N. \
                sawahd signs with the new key from its next sealing pass. If this is interrupted after the commit, \
                run it again with --complete.
                """)
        @Option(help: "Gateway configuration file.") var config: String = "/etc/sawah/sawah.toml"
        @Flag(help: "Finish a rotation that was interrupted after its certificate was committed.") var complete = false

        func run() throws {
            let loaded = try SawahCoreBridge.config(config)
            guard let traceability = loaded.traceability else { throw ValidationError("\(config) has no [traceability] table") }
            let path = traceability.identityKeyFile
            let pending = path + ".new"
            let journal = try SealStore.open(path: loaded.journalPath, durability: loaded.durability)
            if complete {
                try finish(journal: journal, path: path, pending: pending, didWeb: traceability.didWeb)
                return
            }
            let current = try GatewayIdentity.load(from: path, didWeb: traceability.didWeb)
            let successor = try createSuccessor(at: pending, didWeb: traceability.didWeb)
            let issuer = CertificateIssuer(identity: current)
            let number = try journal.appendRotation(createdAt: Clock.nowMilliseconds()) { number, previous in
                let bundle = try issuer.issueRotation(
                    gatewayID: loaded.gatewayID, number: number,
                    previous: previous.map { PreviousCertificate(id: $0.id, jws: $0.jws) },
                    to: successor, createdAt: Clock.nowMilliseconds())
                return (bundle.certificateID, bundle.jws)
            }
            try promote(pending: pending, path: path, number: number)
            print("batch \(number) rotates the key: \(current.did) → \(successor.did)")
            IdentityCommand.describe(successor, path: path)
        }

        /// The new key, written beside the old one. A left-over one means an interrupted rotation.
        // Checked before creating rather than by catching IdentityError.exists: any catch that
        // matches that case crashes the SIL ownership verifier of Debian's Swift 6.2.3, which
        // builds the arm64 package. create(at:) still refuses to overwrite (O_EXCL).
        func createSuccessor(at pending: String, didWeb: String?) throws -> GatewayIdentity {
            if FileManager.default.fileExists(atPath: pending) {
                throw ValidationError("\(pending) exists: a rotation was interrupted; run `sawah identity rotate --complete --config \(config)`")
            }
            return try GatewayIdentity.create(at: pending, didWeb: didWeb)
        }

        /// The rotation certificate is committed iff the chain's last link names the pending key.
        func finish(journal: SealStore, path: String, pending: String, didWeb: String?) throws {
            guard FileManager.default.fileExists(atPath: pending) else {
                print("no interrupted rotation")
                return
            }
            let successor = try GatewayIdentity.load(from: pending, didWeb: didWeb)
            if let last = try journal.lastBatch(), let payload = try? CompactJWS(compact: last.jws).payloadJSON(),
                case .string(let named)? = payload.value(at: "credentialSubject.id"), named == successor.did
            {
                try promote(pending: pending, path: path, number: last.number)
                print("completed the rotation of batch \(last.number): now signing as \(successor.did)")
            } else {
                try FileManager.default.removeItem(atPath: pending)
                print("the interrupted rotation never reached the journal; removed \(pending), the old key stays")
            }
        }

        func promote(pending: String, path: String, number: Int64) throws {
            let retired = "\(path).retired-\(number)"
            guard rename(path, retired) == 0, rename(pending, path) == 0 else {
                throw ValidationError("could not move the keys into place: \(String(cString: strerror(errno)))")
            }
        }
    }

    struct CSR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csr", abstract: "Write a certificate signing request for the gateway's key, for a cooperative's or platform's CA.",
            discussion:
                "The request asks for the subject alternative name urn:sawah:gateway:<gateway id>. A platform that requires mutual TLS (sawah-platform --client-ca) delivers a chain only for a client certificate naming its gateway, by that URI, a DNS name or the common name, so the CA must keep that name."
        )
        @OptionGroup var location: KeyLocation
        @Option(help: "Subject common name (default: the gateway id).") var commonName: String?
        @Option(help: "Subject organisation.") var organization: String?
        @Option(help: "Gateway id to name in the request (default: the config's); a platform requiring mutual TLS delivers that gateway's chain only.")
        var gatewayId: String?
        @Option(name: .shortAndLong, help: "Write the PEM here instead of standard output.") var output: String?

        func run() throws {
            let (path, didWeb, configGateway) = try location.resolveWithGateway()
            let identity = try GatewayIdentity.load(from: path, didWeb: didWeb)
            let gateway = gatewayId ?? configGateway
            let pem = try GatewayCertificateChain.csr(
                identity: identity, commonName: commonName ?? gateway ?? "sawah gateway \(identity.fingerprint)",
                organization: organization, gatewayID: gateway)
            if let output {
                try pem.write(toFile: output, atomically: true, encoding: .utf8)
                print("wrote \(output)")
            } else {
                print(pem, terminator: pem.hasSuffix("\n") ? "" : "\n")
            }
        }
    }

    struct InstallCert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install-cert", abstract: "Store the chain the CA returned (PEM, leaf first); certificates then carry it as x5c.")
        @OptionGroup var location: KeyLocation
        @Argument(help: "PEM file with the gateway's certificate and its CA chain.") var chain: String

        func run() throws {
            let (path, didWeb) = try location.resolve()
            let identity = try GatewayIdentity.load(from: path, didWeb: didWeb)
            let pem = try String(contentsOfFile: chain, encoding: .utf8)
            do {
                let values = try GatewayCertificateChain.validate(pem: pem, for: identity)
                try pem.write(toFile: GatewayIdentity.chainPath(forKey: path), atomically: true, encoding: .utf8)
                let leaf = try GatewayCertificateChain.leaf(fromX5C: values)
                print("installed \(values.count) certificates for \(leaf.subject) at \(GatewayIdentity.chainPath(forKey: path)); new certificates carry x5c")
            } catch let error as GatewayCertificateChain.ChainError {
                FileHandle.standardError.write(Data("sawah identity install-cert: \(chain): \(error)\n".utf8))
                throw ExitCode(65)
            }
        }
    }
}
