import Foundation
import SawahCore

#if canImport(Glibc)
import Glibc
#endif

/// A gateway with its own broker and three nodes (two plain JSON, one ESPHome), for the
/// provisioning tests: the renderer's checks, and the rendered broker run for real.
public enum ProvisioningFixture {
    /// Writes `sawah.toml` and the gateway's MQTT password into `directory` and parses it.
    public static func config(in directory: TemporaryDirectory, port: Int) throws -> GatewayConfiguration {
        try directory.write("gw-secret-password\n", to: "gateway.password")
        chmod(directory.file("gateway.password"), 0o640)
        let text = """
            [gateway]
            id = "prov-gw"
            data_dir = "data"
            devices_dir = "\(ProjectPaths.root)/devices"
            [mqtt]
            port = \(port)
            username = "sawah-gw"
            password_file = "gateway.password"
            [broker]
            listen_address = "127.0.0.1"
            port = \(port)
            directory = "broker"
            persistence_location = "persist"
            max_queued_messages = 50000
            [[sensors]]
            id = "a-soil"
            profile = "ds18b20"
            topic = "farm/a/soil"
            node = "node-a"
            [[sensors]]
            id = "b-soil"
            profile = "ds18b20"
            topic = "farm/b/soil"
            node = "node-b"
            [[sensors]]
            id = "c-temp"
            profile = "ds18b20"
            topic = "node-c/sensor/temperature/state"
            format = "esphome"
            node = "node-c"
            """
        try directory.write(text, to: "sawah.toml")
        return try GatewayConfiguration.parse(text: text, file: directory.file("sawah.toml"))
    }
}
