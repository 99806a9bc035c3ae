import Foundation
import TestSupport
import Testing

@testable import SawahCore

/// The ecosystem's wrappers, on messages shaped like the ones each firmware or network server
/// publishes.
@Suite struct PayloadFormatTests {
    static let now: Int64 = 1_764_403_200_000  // 2025-11-29T08:00:00Z
    static let soil = DeviceProfile(
        id: "soil", model: "Soil probe", manufacturer: "Test", category: "soil", decoder: "json", timeField: "time",
        quantities: [
            .init(name: "soil_temperature", unit: "CEL", min: -40, max: 85, field: "temperature", measurement: "Temperature"),
            .init(name: "soil_moisture", unit: "P1", min: 0, max: 100, field: "moisture", measurement: "VolumeFraction")
        ])

    func normalise(_ format: PayloadFormat, fields: [String: String] = [:], topic: String, payload: String) -> PayloadNormaliser.Outcome {
        var sensor = GatewayConfiguration.Sensor(id: "s1", profile: "soil", topic: topic)
        sensor.format = format
        sensor.fields = fields
        return PayloadNormaliser(sensor: sensor, profile: Self.soil).normalise(payload: Array(payload.utf8), source: topic, receivedAt: Self.now)
    }

    @Test func esphomeStateTopicsCarryBareNumbers() {
        let outcome = normalise(.esphome, fields: ["soil_temperature": "soil_temp"], topic: "garden-node/sensor/soil_temp/state", payload: "23.4375")
        #expect(outcome.problems.isEmpty)
        #expect(outcome.readings.map(\.value) == [23.4375])
        #expect(outcome.readings.first?.quality == .receiveTime)
        let failed = normalise(.esphome, fields: ["soil_temperature": "soil_temp"], topic: "garden-node/sensor/soil_temp/state", payload: "nan")
        #expect(failed.problems == ["ESPHome entity soil_temp reports no number: \"nan\""])
        let wrongTopic = normalise(.esphome, topic: "garden-node/status", payload: "online")
        #expect(wrongTopic.problems.first?.contains("not an ESPHome state topic") == true)
    }

    @Test func tasmotaTeleSensorMessages() {
        let payload = #"{"Time":"2025-11-29T14:55:00","DS18B20":{"Id":"0316A2790B82","Temperature":24.6},"SoilMoisture":{"Percent":37.5},"TempUnit":"C"}"#
        let outcome = normalise(
            .tasmota, fields: ["soil_temperature": "DS18B20.Temperature", "soil_moisture": "SoilMoisture.Percent"],
            topic: "tele/plot1-node/SENSOR", payload: payload)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.readings.map(\.value) == [24.6, 37.5])
        // Tasmota's Time has no zone: it cannot be trusted as UTC, so the receive time is used and flagged.
        #expect(outcome.readings.allSatisfy { $0.quality.contains(.implausibleDeviceTime) })
        #expect(normalise(.tasmota, topic: "tele/n/SENSOR", payload: "[1,2]").problems.first?.contains("JSON object") == true)
    }

    @Test func chirpStackUplinkEvents() {
        let payload = """
            {"deduplicationId":"3ac7e3c4-4401-4b8d-9386-a5c902f9202d","time":"2025-11-29T07:59:58.123Z",
             "deviceInfo":{"tenantName":"Coop","applicationName":"soil","deviceName":"plot1-lse01","devEui":"a840417eb1853b22"},
             "fPort":2,"data":"DAcHiQAAAAAAAA==","object":{"temperature":22.81,"moisture":31.04},
             "rxInfo":[{"gatewayId":"0016c001f1500812","rssi":-57,"snr":10.5}]}
            """
        let outcome = normalise(.chirpstack, topic: "application/7f1e/device/a840417eb1853b22/event/up", payload: payload)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.readings.map(\.value) == [22.81, 31.04])
        #expect(outcome.readings.first?.observedAt == 1_764_403_198_123)
        let noCodec = normalise(.chirpstack, topic: "application/7f1e/device/x/event/up", payload: #"{"time":"2025-11-29T07:59:58Z","data":"AQI="}"#)
        #expect(noCodec.problems.first?.contains("without a decoded \"object\"") == true)
    }

    @Test func theThingsStackUplinks() {
        let payload = """
            {"end_device_ids":{"device_id":"plot1-lse01","application_ids":{"application_id":"coop-soil"}},
             "received_at":"2025-11-29T07:59:59.500Z",
             "uplink_message":{"f_port":2,"frm_payload":"DAcHiQ==","decoded_payload":{"temperature":22.5,"moisture":30},
               "rx_metadata":[{"rssi":-61,"snr":9.25}],"received_at":"2025-11-29T07:59:59.400Z"}}
            """
        let outcome = normalise(.ttn, topic: "v3/coop-soil@ttn/devices/plot1-lse01/up", payload: payload)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.readings.map(\.value) == [22.5, 30])
        #expect(outcome.readings.first?.observedAt == 1_764_403_199_400)
        #expect(
            normalise(.ttn, topic: "v3/a@ttn/devices/b/up", payload: #"{"uplink_message":{"frm_payload":"AQ=="}}"#)
                .problems.first?.contains("decoded_payload") == true)
    }

    @Test func theFormatIsReadFromTheConfig() throws {
        let config = try GatewayConfiguration.parse(
            text: """
                [gateway]
                id = "gw"
                [[sensors]]
                id = "a"
                profile = "x"
                topic = "application/+/device/+/event/up"
                format = "chirpstack"
                """, file: "sawah.toml")
        #expect(config.sensors.first?.format == .chirpstack)
        #expect {
            _ = try GatewayConfiguration.parse(
                text: "[gateway]\nid = \"gw\"\n[[sensors]]\nid = \"a\"\nprofile = \"x\"\ntopic = \"t\"\nformat = \"lorawan\"\n", file: "sawah.toml")
        } throws: { "\($0)".contains("sawah.toml:7: [[sensors]] #1 format: expected one of \"json\", \"esphome\", \"tasmota\", \"chirpstack\", \"ttn\"") }
    }
}

@Suite struct ByteDecoderTests {
    @Test func aByteDecodingProfileNeedsALoRaWANServerFormat() throws {
        let config = try GatewayConfiguration.parse(
            text: """
                [gateway]
                id = "gw1"
                [[sensors]]
                id = "soil"
                profile = "dragino-lse01"
                topic = "farm/soil"
                """, file: "/etc/sawah/sawah.toml")
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        do {
            try library.validate(config)
            Issue.record("a byte decoder on plain JSON must be refused")
        } catch {
            #expect(
                "\(error)".contains(
                    "[[sensors]] #1 format: profile \"dragino-lse01\" decodes the device's LoRaWAN bytes: set format = \"chirpstack\" or \"ttn\""), "\(error)")
        }
    }

    @Test func signedAndMaskedFieldsDecodeAsTheMakerDocuments() throws {
        guard case .success(let values) = ByteDecoder.draginoLHT65.decode([0xCB, 0xEA, 0x80, 0x00, 0xFF, 0xFF, 0x01, 0xFF, 0x38, 0x7F, 0xFF], port: 2) else {
            Issue.record("decode failed")
            return
        }
        #expect(values.value(at: "battery_v") == .number(3.05), "status bits masked off")
        #expect(values.value(at: "temperature") == .number(-327.68), "0x8000 is the most negative value")
        #expect(values.value(at: "humidity") == .number(409.5), "humidity keeps its low 12 bits (the profile's range then refuses 409.5 %)")
        #expect(values.value(at: "external_temperature") == .number(-2), "0xFF38 is -200 hundredths")
    }
}

@Suite struct LinkQualityTests {
    @Test func chirpStackAndTTNUplinksCarryTheStrongestGatewaysRSSIAndSNR() throws {
        let library = try DeviceLibrary.load(directory: ProjectPaths.root + "/devices")
        let profile = try #require(library.profiles["dragino-lse01"])
        var sensor = GatewayConfiguration.Sensor(id: "soil", profile: "dragino-lse01", topic: "application/1/device/a84041000181c061/event/up")
        sensor.format = .chirpstack
        let chirpstack =
            #"{"time":"2025-11-29T07:30:00Z","fPort":2,"data":"DhAA/Q2ACO8BnBA=","rxInfo":[{"gatewayId":"a","rssi":-112,"snr":-4.5},{"gatewayId":"b","rssi":-97,"snr":6.5}]}"#
        let outcome = PayloadNormaliser(sensor: sensor, profile: profile).normalise(
            payload: Array(chirpstack.utf8), source: sensor.topic, receivedAt: 1_764_403_200_000)
        #expect(outcome.readings.count == 3 && outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.readings.allSatisfy { $0.link == LinkQuality(rssi: -97, snr: 6.5) }, "the best gateway's figures")

        sensor.format = .ttn
        let ttn =
            #"{"uplink_message":{"f_port":2,"frm_payload":"DhAA/Q2ACO8BnBA=","rx_metadata":[{"rssi":-88,"snr":9.25}],"received_at":"2025-11-29T07:31:02Z"}}"#
        let fromTTN = PayloadNormaliser(sensor: sensor, profile: profile).normalise(
            payload: Array(ttn.utf8), source: "v3/farm@ttn/devices/soil/up", receivedAt: 1_764_403_200_000)
        #expect(fromTTN.readings.first?.link == LinkQuality(rssi: -88, snr: 9.25))

        sensor.format = .chirpstack
        let noRadio = #"{"fPort":2,"data":"DhAA/Q2ACO8BnBA="}"#
        #expect(
            PayloadNormaliser(sensor: sensor, profile: profile).normalise(payload: Array(noRadio.utf8), source: "t", receivedAt: 1_764_403_200_000).readings
                .first?.link == nil)
    }
}
