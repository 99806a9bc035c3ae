import Foundation
import TestSupport
import Testing

@testable import SawahStatus

/// `sawah verify --bundles` reads file names a stranger chose: a crafted batch number must be a
/// clear error, never an arithmetic trap.
@Suite struct BundleFileNameTests {
    // Int64.max sorts (by name) before batch-9999, whose check of "previous + 1" trapped.
    @Test(arguments: [
        ["batch-9223372036854775807", "batch-9999"], ["batch-99999999999999999999"], ["batch--1"], ["batch-000000"],
        ["batch-1e3"], ["batch-١٢"]
    ])
    func aCraftedBatchNumberIsNamedNotTrapped(stems: [String]) throws {
        let directory = try TemporaryDirectory(prefix: "bundle-names")
        defer { directory.remove() }
        let stem = stems[0]
        for name in stems {
            for suffix in [".vc.jwt", ".epcis.jsonld", ".raw-series.csv"] { try directory.write("x", to: name + suffix) }
        }
        #expect(throws: (any Error).self) { try CertificateBundleFiles.read(from: directory.path) }
        let cli = try #require(ProjectPaths.executable("sawah"))
        let result = try ChildProcess.run(cli, ["verify", "--bundles", directory.path])
        #expect(result.status != 0 && result.status < 128, "an error exit, not a signal: \(result.status) \(result.output)")
        #expect(result.output.contains(stem + ".vc.jwt"), "\(result.output)")
    }

    @Test func bundlesAreOrderedByNumberNotName() throws {
        let directory = try TemporaryDirectory(prefix: "bundle-order")
        defer { directory.remove() }
        for stem in ["batch-1000000", "batch-999999"] {
            for suffix in [".vc.jwt", ".epcis.jsonld", ".raw-series.csv"] { try directory.write("x", to: stem + suffix) }
        }
        #expect(try CertificateBundleFiles.read(from: directory.path).map(\.number) == [999_999, 1_000_000])
    }
}
