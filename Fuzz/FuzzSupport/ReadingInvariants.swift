import SawahCore

/// What any normalised reading must satisfy, whatever the payload: a finite value of one of the
/// profile's quantities, inside its range (an out-of-range value is a named problem instead).
public func checkReadingInvariants(_ outcome: PayloadNormaliser.Outcome, profile: DeviceProfile, profileID: String) {
    for reading in outcome.readings {
        guard reading.value.isFinite, let quantity = profile.quantities.first(where: { $0.name == reading.quantity }) else {
            fatalError("reading \(reading) is not finite or not a quantity of \(profileID)")
        }
        if !(quantity.min...quantity.max).contains(reading.value) {
            fatalError("\(reading.value) for \(reading.quantity) is outside \(quantity.min)…\(quantity.max) yet was not refused")
        }
    }
}
