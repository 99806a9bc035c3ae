import Foundation
import TestSupport
import Testing

/// The floors hold in the built programs, not only in Package.swift: sawah-uplink is built
/// from SawahSystem, SawahStatus, the journal and the uplink, so it must not load the MQTT or
/// GPIO C libraries, while sawahd (the control case, proving the check can see them) does.
@Suite struct LinkedLibrariesTests {
    /// The shared libraries a program names in its ELF dynamic section (`readelf -d`, NEEDED).
    static func needed(_ program: String) throws -> [String] {
        let path = try #require(ProjectPaths.executable(program), "\(program) is built")
        let result = try ChildProcess.run("/usr/bin/readelf", ["-d", "-W", path])
        try #require(result.status == 0, "\(result.output)")
        return result.output.split(separator: "\n").compactMap { line in
            guard line.contains("(NEEDED)"), let open = line.lastIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
    }

    @Test func sawahUplinkLinksNeitherLibmosquittoNorLibgpiod() throws {
        let uplink = try Self.needed("sawah-uplink")
        #expect(uplink.contains { $0.hasPrefix("libsqlite3") }, "the journal's library is seen: \(uplink)")
        #expect(!uplink.contains { $0.hasPrefix("libmosquitto") }, "\(uplink)")
        #expect(!uplink.contains { $0.hasPrefix("libgpiod") }, "\(uplink)")
    }

    @Test func sawahdLinksBoth() throws {
        let daemon = try Self.needed("sawahd")
        #expect(daemon.contains { $0.hasPrefix("libmosquitto") }, "\(daemon)")
        #expect(daemon.contains { $0.hasPrefix("libgpiod") }, "\(daemon)")
    }
}
