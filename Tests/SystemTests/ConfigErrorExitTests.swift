import Foundation
import TestSupport
import Testing

/// A bad config stops `sawahd` before it starts, with exit code 78 and a message that names
/// the file, line and key.
@Suite struct ConfigErrorExitTests {
    /// Configs with `@DEVICES@` standing for the project's device folder, and the message
    /// each must produce.
    static let cases: [(config: String, message: String)] = [
        (
            "[gateway]\nid = \"gw\"\ndevices_dir = \"@DEVICES@\"\n[mqtt]\nport = \"1883\"\n",
            "sawah.toml:5: [mqtt] port: expected an integer in 1…65535, found string"
        ),
        (
            "[gateway]\nid = \"gw\"\ndevices_dir = \"@DEVICES@\"\ndurability = \"sometimes\"\n",
            "sawah.toml:4: [gateway] durability: expected one of \"process\", \"power\", found \"sometimes\""
        ),
        (
            "[gateway]\nid = \"gw\"\ndevices_dir = \"@DEVICES@\"\n[[sensors]]\nid = \"s\"\nprofile = \"ds18b20\"\ntopic = \"a/#/b\"\n",
            "sawah.toml:7: [[sensors]] #1 topic: '#' must be a whole level"
        ),
        (
            "[gateway]\nid = \"gw\"\ndevices_dir = \"@DEVICES@\"\n[[sensors]]\nid = \"s\"\nprofile = \"nope\"\ntopic = \"a/b\"\n",
            "[[sensors]] #1 profile: no device profile \"nope\""
        ),
        (
            "[gateway]\nid = \"gw\"\ndevices_dir = \"@DEVICES@\"\n[mqtt]\npassword_file = \"/nonexistent/pw\"\n",
            "[mqtt] password_file: cannot read /nonexistent/pw"
        ),
        (
            "[gateway]\nid = \"gw\"\ndevices_dir = \"@DEVICES@\"\n[mqtt]\npassword_file = \"@DIR@/world-readable\"\n",
            "[mqtt] password_file: @DIR@/world-readable is a secret but other users may read or change it (mode 0644): chmod 0640"
        ),
        ("[gateway\n", "sawah.toml:1: invalid TOML"),
        ("", "sawah.toml: gateway: missing")
    ]

    @Test(arguments: 0..<cases.count)
    func badConfigExits78NamingTheKey(index: Int) throws {
        let sawahd = try #require(ProjectPaths.executable("sawahd"), "build sawahd first")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (config, template) = Self.cases[index]
        try directory.write("a password\n", to: "world-readable")
        chmod(directory.file("world-readable"), 0o644)
        let message = template.replacingOccurrences(of: "@DIR@", with: directory.path)
        try directory.write(
            config.replacingOccurrences(of: "@DEVICES@", with: ProjectPaths.root + "/devices")
                .replacingOccurrences(of: "@DIR@", with: directory.path), to: "sawah.toml")
        for mode in ["--check-config", "--config"] {
            let result = try ChildProcess.run(sawahd, [mode, directory.file("sawah.toml")])
            #expect(result.status == 78, "\(mode): \(result.output)")
            #expect(result.output.contains(message), "\(mode) output: \(result.output)")
        }
    }

    @Test func aGoodConfigChecksClean() throws {
        let sawahd = try #require(ProjectPaths.executable("sawahd"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sample = try String(contentsOfFile: ProjectPaths.root + "/config/sawah.toml", encoding: .utf8)
            .replacingOccurrences(of: "devices_dir = \"/usr/share/sawah/devices\"", with: "devices_dir = \"\(ProjectPaths.root)/devices\"")
            .replacingOccurrences(of: "data_dir = \"/var/lib/sawah\"", with: "data_dir = \"\(directory.path)\"")
        try directory.write(sample, to: "sawah.toml")
        // With [traceability] the gateway's key must exist first; its absence is named.
        let missingKey = try ChildProcess.run(sawahd, ["--check-config", directory.file("sawah.toml")])
        #expect(missingKey.status == 78)
        #expect(missingKey.output.contains("[traceability] identity_key: no key at \(directory.path)/identity.pem: run `sawah identity create"))
        let sawah = try #require(ProjectPaths.executable("sawah"))
        #expect(try ChildProcess.run(sawah, ["identity", "create", "--config", directory.file("sawah.toml")]).status == 0)
        let result = try ChildProcess.run(sawahd, ["--check-config", directory.file("sawah.toml")])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK (gateway demo-farm-gw1, 5 sensors"))
    }
}
