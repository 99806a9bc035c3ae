// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "Sawah",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sawahd", targets: ["sawahd"]),
        .executable(name: "sawah", targets: ["sawah"]),
        .executable(name: "sawah-bench", targets: ["sawah-bench"]),
        .executable(name: "sawah-uplink", targets: ["sawah-uplink"]),
        .executable(name: "sawah-platform", targets: ["sawah-platform"]),
        .executable(name: "sawah-multicall", targets: ["sawah-multicall"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.29.0")
    ],
    targets: [
        // C libraries: one tiny module each, nothing but the header and the link line.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        .systemLibrary(name: "CGpiod", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        // glibc's adjtimex(2), the kernel's clock discipline state (Swift's Glibc module has no
        // <sys/timex.h>); nothing to link.
        .systemLibrary(name: "CTimex"),

        // The only Swift targets that import a C module.
        .target(name: "SawahSQLite", dependencies: ["CSQLite"]),
        // The MQTT loop waits on SawahSystem's wake signal and monotonic clock.
        .target(name: "SawahMQTT", dependencies: ["CMosquitto", "SawahSystem"]),
        .target(name: "SawahGPIO", dependencies: ["CGpiod"]),

        // The core: configuration, device profiles, decoding. Imports no C.
        .target(name: "SawahCore", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        // The system floor, below every process: signals, sd_notify, the watchdog, the journald
        // log handler, process tuning, and the few low-level helpers written once (wake signal,
        // monotonic clock, blocking-thread bridge, lock wrapper), and the clock's sync state
        // (CTimex, a glibc header). Links no C library of its own.
        .target(
            name: "SawahSystem",
            dependencies: [
                "SawahCore", "CTimex",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        // The journal: sawahd's `Journal` (migrations; one writer thread running every write in
        // order; the IngestStore, SealStore and RetentionStore facets each part of sawahd gets)
        // and the `DeliveryLedger`, the only part sawah-uplink and the CLI's `uplink retry` open
        // (the deliveries table; it never migrates).
        .target(name: "SawahJournal", dependencies: ["SawahCore", "SawahSQLite", "SawahSystem"]),
        // Traceability: the EPCIS event hash, EPCIS documents, JOSE-secured credentials.
        .target(
            name: "SawahTraceability",
            dependencies: [
                "SawahCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1")
            ]
        ),
        // The status floor: journal read models, HealthReport, GatewayStatus, the chain verifier
        // and certificate bundles. What sawah-uplink, sawah-metrics and the CLI read; it links
        // neither libmosquitto nor libgpiod.
        .target(name: "SawahStatus", dependencies: ["SawahCore", "SawahJournal", "SawahTraceability", "SawahSystem"]),
        // Uplink: certified batches to trade platforms over HTTPS (EPCIS capture, credentials).
        // Run by its own daemon, sawah-uplink: the HTTP and TLS stack stays out of sawahd
        // (linking it costs ~7 MB of resident memory) and cannot take ingest down with it.
        // Built on SawahSystem, SawahStatus and the ledger, never SawahGateway: sawah-uplink
        // links neither libmosquitto nor libgpiod.
        .target(
            name: "SawahUplink",
            dependencies: [
                "SawahCore", "SawahJournal", "SawahTraceability", "SawahSystem", "SawahStatus", "SawahClaims",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        // Claims computed from the sealed raw series by versioned rule profiles (docs/rules/):
        // no I/O, so a verifier re-runs exactly what the gateway ran; each claim signed as a UNTP
        // Digital Conformity Credential with the traceability floor's JOSE.
        .target(name: "SawahClaims", dependencies: ["SawahCore", "SawahTraceability"]),
        // Provisioning: the gateway's broker (mosquitto.conf, password file, ACLs), node credentials.
        .target(
            name: "SawahProvisioning",
            dependencies: [
                "SawahCore",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto")
            ]
        ),
        // The reference trade platform (EPCIS capture + credentials) for tests and the demo.
        .target(
            name: "SawahPlatform",
            dependencies: [
                "SawahCore", "SawahSQLite", "SawahTraceability", "SawahClaims", "SawahPages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        // sawahd's services: MQTT, GPIO and sysfs ingest through one Normaliser, retention,
        // sealing, the dashboard feed. Only sawahd (and the CLI's `certificates seal`) use it.
        .target(
            name: "SawahGateway",
            dependencies: [
                "SawahCore", "SawahJournal", "SawahMQTT", "SawahTraceability", "SawahGPIO", "SawahSystem", "SawahStatus",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        // The Prometheus endpoint, served by `sawah metrics serve`: kept out of sawahd so the
        // daemon does not carry an HTTP stack (it costs ~5 MB of resident memory unused).
        .target(
            name: "SawahMetrics",
            dependencies: [
                "SawahStatus", "SawahJournal", "SawahCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus")
            ]
        ),

        // The pages people look at (verify.html, the status page): HTML, CSS and JavaScript
        // embedded in the binary and assembled with their Content-Security-Policy. No C, no I/O.
        .target(
            name: "SawahPages",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "HTTPTypes", package: "swift-http-types")],
            resources: [
                .embedInCode("verify.html"), .embedInCode("status.html"), .embedInCode("pages.css"), .embedInCode("page-dom.js"), .embedInCode("svg-plot.js"),
                .embedInCode("verifier-crypto.js"), .embedInCode("verifier-eventhash.js"), .embedInCode("verifier-chain.js"),
                .embedInCode("verifier-page.js"), .embedInCode("status-page.js")
            ]
        ),
        // `sawah web`: the gateway's read-only status page and its JSON API, served from the
        // journal. Its own process and unit (as the metrics endpoint): the LAN may reach it.
        .target(
            name: "SawahWeb",
            dependencies: [
                "SawahCore", "SawahJournal", "SawahStatus", "SawahSystem", "SawahPages", "SawahTraceability",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),

        // Each program's command line, as a library: the thin executables below and the
        // multi-call binary share them. SawahCommandSupport starts an async root command.
        .target(
            name: "SawahCommandSupport",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "SawahDaemonCommandLine",
            dependencies: [
                "SawahCore", "SawahGateway", "SawahSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "SawahCommandLine",
            dependencies: [
                "SawahCore", "SawahJournal", "SawahMQTT", "SawahTraceability", "SawahGateway", "SawahSystem", "SawahStatus",
                "SawahMetrics", "SawahProvisioning", "SawahClaims", "SawahWeb", "SawahPages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "SawahUplinkCommandLine",
            dependencies: [
                "SawahUplink", "SawahSystem", "SawahCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "SawahPlatformCommandLine",
            dependencies: [
                "SawahPlatform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),

        // Thin executables: a main.swift each.
        .executableTarget(name: "sawahd", dependencies: ["SawahDaemonCommandLine", "SawahCommandSupport"]),
        .executableTarget(name: "sawah", dependencies: ["SawahCommandLine", "SawahCommandSupport"]),
        .executableTarget(name: "sawah-uplink", dependencies: ["SawahUplinkCommandLine", "SawahCommandSupport"]),
        .executableTarget(name: "sawah-platform", dependencies: ["SawahPlatformCommandLine", "SawahCommandSupport"]),
        // The packaged binary beside sawahd: sawah, sawah-uplink and sawah-platform in one,
        // chosen by argv[0] (see its main.swift for why sawahd is not in it).
        .executableTarget(
            name: "sawah-multicall",
            dependencies: [
                "SawahCommandLine", "SawahDaemonCommandLine", "SawahUplinkCommandLine", "SawahPlatformCommandLine",
                "SawahCommandSupport"
            ]
        ),
        .executableTarget(
            name: "sawah-bench",
            dependencies: [
                "SawahCore", "SawahJournal", "SawahMQTT", "SawahTraceability", "SawahGateway", "SawahStatus", "SawahSystem",
                "SawahUplink", "SawahClaims", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),

        // Shared test helpers: a real mosquitto on loopback, temporary directories, subprocesses.
        .target(
            name: "TestSupport",
            dependencies: [
                "SawahMQTT", "SawahGPIO", "SawahSystem", "SawahCore", "SawahTraceability", "SawahJournal",
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),

        .testTarget(name: "SawahSQLiteTests", dependencies: ["SawahSQLite", "TestSupport"]),
        .testTarget(name: "SawahMQTTTests", dependencies: ["SawahMQTT", "SawahCore", "TestSupport"]),
        .testTarget(name: "SawahGPIOTests", dependencies: ["SawahGPIO", "SawahCore", "TestSupport"]),
        .testTarget(name: "SawahCoreTests", dependencies: ["SawahCore", "TestSupport"]),
        .testTarget(name: "SawahSystemTests", dependencies: ["SawahSystem", "SawahCore", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "SawahStatusTests",
            dependencies: ["SawahStatus", "SawahJournal", "SawahCore", "SawahSQLite", "SawahTraceability", "TestSupport"]
        ),
        .testTarget(name: "SawahClaimsTests", dependencies: ["SawahClaims", "SawahCore", "SawahTraceability", "TestSupport"]),
        .testTarget(name: "SawahJournalTests", dependencies: ["SawahJournal", "SawahCore", "SawahSQLite", "SawahSystem", "TestSupport"]),
        .testTarget(name: "SawahTraceabilityTests", dependencies: ["SawahTraceability", "TestSupport", .product(name: "X509", package: "swift-certificates")]),
        .testTarget(
            name: "SawahUplinkTests",
            dependencies: [
                "SawahUplink", "SawahJournal", "SawahCore", "SawahSQLite", "SawahSystem", "TestSupport",
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .testTarget(name: "SawahPagesTests", dependencies: ["SawahPages", "TestSupport"]),
        .testTarget(
            name: "SawahWebTests",
            dependencies: ["SawahWeb", "SawahJournal", "SawahCore", "SawahSQLite", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "SawahProvisioningTests", dependencies: ["SawahProvisioning", "SawahCore", "SawahMQTT", "TestSupport"]),
        .testTarget(name: "SawahPlatformTests", dependencies: ["SawahPlatform", "SawahTraceability", "SawahUplink", "SawahClaims", "TestSupport"]),
        .testTarget(
            name: "SawahGatewayTests",
            dependencies: [
                "SawahGateway", "SawahGPIO", "SawahJournal", "SawahSystem", "SawahCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        // The system tests: Sawah's own programs run as subprocesses (sawahd under kill -9, the
        // CLI, sawah-uplink against sawah-platform, systemd's checks of the units). The only
        // test target that runs them; it depends on the executables so that
        // `swift build --build-tests` builds the binaries it starts.
        .testTarget(
            name: "SystemTests",
            dependencies: [
                "SawahCore", "SawahSQLite", "SawahJournal", "SawahTraceability", "SawahSystem", "SawahStatus", "SawahGateway",
                "SawahUplink", "SawahPlatform", "SawahProvisioning", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                "sawahd", "sawah", "sawah-uplink", "sawah-platform"
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Fuzz/), only when scripts/fuzz builds them: they have no main of their own
// (libFuzzer's runtime brings it), so an ordinary build must not see them.
if ProcessInfo.processInfo.environment["SAWAH_FUZZ"] == "1" {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzNormaliser", ["SawahCore"]),
        ("FuzzByteDecoder", ["SawahCore"]),
        ("FuzzTopicMatch", ["SawahCore", "SawahMQTT"]),
        ("FuzzJSON", ["SawahCore", "SawahTraceability"]),
        ("FuzzEventHash", ["SawahCore", "SawahTraceability"]),
        ("FuzzJWS", ["SawahCore", "SawahTraceability", .product(name: "Crypto", package: "swift-crypto")]),
        ("FuzzBundle", ["SawahCore", "SawahTraceability"])
    ]
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["SawahCore"], path: "Fuzz/FuzzSupport"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
