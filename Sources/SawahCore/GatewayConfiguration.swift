/// Everything `sawahd` needs to run, with the defaults an operator gets by leaving a key out.
/// The TOML keys and their defaults are listed in `GatewayConfiguration+TOML.swift`.
public struct GatewayConfiguration: Sendable {
    /// How hard the journal works to keep a committed reading.
    public enum Durability: String, Sendable {
        /// WAL with `synchronous=NORMAL`: survives a crash of the process.
        case process
        /// `synchronous=FULL`: survives a power cut, at the price of an fsync per commit.
        case power
    }

    public struct MQTT: Sendable {
        public var host = "127.0.0.1"
        public var port = 1883
        /// Fixed, so the broker keeps our persistent session across restarts.
        public var clientID: String
        public var keepAliveSeconds = 30
        public var username: String?
        /// A file holding the password (never the password itself in the config).
        public var passwordFile: String?
        public var tlsCAFile: String?
        public var tlsCertFile: String?
        public var tlsKeyFile: String?
        /// Extra filters to subscribe to beyond the sensors' topics (for example `farm/#`), so
        /// that a node nobody configured yet shows up in the quarantine instead of going unseen.
        public var extraSubscriptions: [String] = []
        /// Most messages read before one commit: the upper bound of a group commit.
        public var maxBatch = 2000
        /// Longest a message waits for others before their shared commit; its PUBACK waits too.
        public var commitDelayMilliseconds = 20
        /// A quiet gap this long commits the batch early. Short by default (latency); raised
        /// towards `commitDelayMilliseconds` it makes a sparse stream share commits, which is
        /// what saves an SD card (README "SD-card wear"). Never more than the delay.
        public var commitQuietMilliseconds = 2
    }

    public struct Retention: Sendable {
        /// Readings older than this are pruned (0 keeps them forever).
        public var maxAgeDays = 400
        /// The journal is pruned, oldest first, to stay under this size (0: no limit).
        public var maxJournalMB = 2048
        /// When free space on the journal's disk falls below this, the oldest readings go.
        public var minFreeDiskMB = 256
        /// Space set aside beside the journal and given back when the disk is full, so that
        /// eviction for space can still write its deletes (0: none). Kept only with
        /// `minFreeDiskMB` above 0: it exists for that rule.
        public var reserveMB = 16
        public var checkIntervalSeconds = 60
    }

    /// One sensor: which device profile describes it and where its data arrives.
    public struct Sensor: Sendable {
        public var id: String
        /// Name of a profile in the device library (`devices/<name>/profile.toml`).
        public var profile: String
        /// The MQTT topic, or a filter with `+`/`#`, that carries this sensor's payloads.
        public var topic: String
        /// The field node the sensor hangs off, for dashboards.
        public var node: String?
        /// Per-quantity JSON path overriding the profile's default field.
        public var fields: [String: String] = [:]
        /// Per-quantity linear calibration applied after decoding: `value * scale + offset`.
        public var calibration: [String: Calibration] = [:]
        /// JSON path of the device's own timestamp, overriding the profile's.
        public var timeField: String?
        /// How the sensor's messages are wrapped (plain JSON, ESPHome, Tasmota, LoRaWAN servers).
        public var format = PayloadFormat.json
        /// The gateway's own GPIO line the sensor is wired to (`[sensors.gpio]`); nil for MQTT.
        public var gpio: GPIOSourceConfiguration?
        /// A sysfs source (1-Wire, IIO) polled by sawahd (`[sensors.sysfs]`); nil for MQTT.
        public var sysfs: SysfsSourceConfiguration?
        /// The device's identifier in certificates (a GS1 Digital Link `/8004/{GIAI}` or a URN);
        /// default `urn:sawah:<gateway>:sensor:<id>`.
        public var deviceID: String?
    }

    public struct Calibration: Sendable, Equatable {
        public var scale = 1.0
        public var offset = 0.0

        public init(scale: Double = 1.0, offset: Double = 0.0) {
            self.scale = scale
            self.offset = offset
        }

        public func apply(_ value: Double) -> Double { value * scale + offset }
    }

    /// The file the configuration came from, for messages.
    public var file: String
    public var gatewayID: String
    public var dataDirectory = "/var/lib/sawah"
    /// Where device profiles live; relative paths are taken from the config file's folder.
    public var devicesDirectory = "/usr/share/sawah/devices"
    public var durability = Durability.process
    /// Whose word decides that the system clock is right: `ntp` (the kernel's NTP state, as
    /// an NTP client sets it) or `trusted` (kept right by other means: a real-time clock or
    /// GPS on the board, a virtual machine's host), for which readings are never flagged
    /// `unsynchronised-gateway-clock`.
    public var clock = ClockTrust.ntp
    public var logLevel = "info"

    public enum ClockTrust: String, Sendable {
        case ntp, trusted
    }
    public var mqtt: MQTT
    public var retention = Retention()
    public var sensors: [Sensor] = []
    public var dashboard = DashboardConfiguration()
    public var metrics = MetricsConfiguration()
    public var web = WebConfiguration()
    /// Certificates: nil when the config has no `[traceability]` table.
    public var traceability: TraceabilityConfiguration?
    /// `[claims]`: the plots and lots whose claims `sawah claims issue` computes.
    public var claims = ClaimsConfiguration()
    /// The gateway's own broker, for `sawah broker render` and `sawah node add`.
    public var broker = BrokerConfiguration()
    /// Trade platforms that receive every certified batch; empty for none.
    public var platforms: [PlatformConfiguration] = []

    /// The journal's SQLite file inside the data directory.
    public var journalPath: String { dataDirectory + "/journal.sqlite" }
}
