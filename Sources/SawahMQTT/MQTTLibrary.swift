import CMosquitto

/// libmosquitto needs `mosquitto_lib_init` once per process before any client exists.
enum MQTTLibrary {
    private static let initialised: Bool = {
        mosquitto_lib_init()
        return true
    }()

    static func initialise() {
        _ = initialised
    }
}
