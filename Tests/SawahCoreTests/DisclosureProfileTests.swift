import Testing

@testable import SawahCore

/// What a disclosure profile lets out of a plot's coordinates, and its canonical text.
@Suite struct DisclosureProfileTests {
    static let plot = (latitude: 10.762622, longitude: 106.660172)

    func disclosed(_ location: DisclosureProfile.Location) -> (latitude: Double, longitude: Double)? {
        var profile = DisclosureProfile()
        profile.location = location
        return profile.disclosed(latitude: Self.plot.latitude, longitude: Self.plot.longitude)
    }

    @Test func theDefaultLetsNoCoordinateOut() {
        #expect(DisclosureProfile().location == .facilityOnly)
        #expect(disclosed(.facilityOnly) == nil && disclosed(.none) == nil)
        #expect(disclosed(.exact)! == Self.plot)
    }

    @Test func aGridSnapsToTheCentreOfItsCell() throws {
        let point = try #require(disclosed(.grid(degrees: 0.1)))
        #expect(abs(point.latitude - 10.75) < 1e-9 && abs(point.longitude - 106.65) < 1e-9)
        let south = try #require(DisclosureProfile.grid(-6.1235, 106.8271, degrees: 0.5))
        #expect(abs(south.latitude - -6.25) < 1e-9 && abs(south.longitude - 106.75) < 1e-9, "cells below zero round down, not toward zero")
    }

    @Test func aGeohashReportsItsCellsCentre() throws {
        let point = try #require(disclosed(.geohash(precision: 5)))
        #expect(
            Geohash.encode(latitude: point.latitude, longitude: point.longitude, precision: 5)
                == Geohash.encode(
                    latitude: Self.plot.latitude, longitude: Self.plot.longitude, precision: 5))
        #expect(point != Self.plot)
    }

    @Test func theCanonicalTextNamesEveryKeyInAFixedOrder() {
        var profile = DisclosureProfile()
        profile.location = .geohash(precision: 6)
        profile.series = .aggregate(seconds: 3_600)
        profile.quantities = ["soil_moisture", "air_temperature"]
        profile.pseudonymousDevices = true
        profile.terms = "https://example.org/terms"
        #expect(
            profile.canonicalText
                == "location=geohash:6\nseries=aggregate:3600s\nquantities=air_temperature,soil_moisture\nlots=*\ndevice_ids=pseudonym\nterms=https://example.org/terms"
        )
        #expect(DisclosureProfile().canonicalText == "location=facility-only\nseries=raw\nquantities=*\nlots=*\ndevice_ids=keep\nterms=")
    }
}
