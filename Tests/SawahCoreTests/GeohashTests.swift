import Testing

@testable import SawahCore

/// Geohash against published vectors (the algorithm's Wikipedia article), and the coarsening a
/// disclosure profile applies to a plot's coordinates.
@Suite struct GeohashTests {
    @Test(arguments: [
        (42.605, -5.603, 5, "ezs42"),
        (57.64911, 10.40744, 11, "u4pruydqqvj"),
        (0.0, 0.0, 1, "s"),
        (-90.0, -180.0, 4, "0000"),
        (89.99999, 179.99999, 4, "zzzz")
    ])
    func encodesThePublishedVectors(latitude: Double, longitude: Double, precision: Int, expected: String) {
        #expect(Geohash.encode(latitude: latitude, longitude: longitude, precision: precision) == expected)
    }

    /// "ezs42" decodes to 42.605 ± 0.022, -5.603 ± 0.022 (the same article).
    @Test func aCellIsTheRangeItNames() throws {
        let cell = try #require(Geohash.cell("ezs42"))
        #expect(abs(cell.latitude.lowerBound - 42.583) < 0.001 && abs(cell.latitude.upperBound - 42.627) < 0.001)
        #expect(abs(cell.longitude.lowerBound - -5.625) < 0.001 && abs(cell.longitude.upperBound - -5.581) < 0.001)
        #expect(Geohash.cell("ezs4a") == nil, "'a' is not in the alphabet")
        let whole = try #require(Geohash.cell(""))
        #expect(whole.latitude == -90...90 && whole.longitude == -180...180)
    }

    /// Every point of a cell coarsens to the same centre, which lies in the cell; a point of
    /// the next cell does not.
    @Test func pointsInOneCellShareItsCentre() {
        let plot = (latitude: 10.762622, longitude: 106.660172)
        let centre = Geohash.centre(latitude: plot.latitude, longitude: plot.longitude, precision: 6)
        let hash = Geohash.encode(latitude: plot.latitude, longitude: plot.longitude, precision: 6)
        #expect(Geohash.encode(latitude: centre.latitude, longitude: centre.longitude, precision: 6) == hash)
        let cell = Geohash.cell(hash)!
        let neighbour = (latitude: cell.latitude.upperBound + 0.0001, longitude: plot.longitude)
        #expect(Geohash.encode(latitude: neighbour.latitude, longitude: neighbour.longitude, precision: 6) != hash)
        #expect(Geohash.centre(latitude: cell.latitude.lowerBound + 1e-9, longitude: cell.longitude.upperBound - 1e-9, precision: 6) == centre)
    }
}
