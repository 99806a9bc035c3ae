/// The CBV 2.0 measurement types an EPCIS sensorReport `type` may take (GS1 EPCIS JSON Schema,
/// `measurementType`), and the one a unit implies when a profile names none.
public enum MeasurementType {
    public static let known: Set<String> = [
        "AbsoluteHumidity", "AbsorbedDose", "AbsorbedDoseRate", "Acceleration", "Radioactivity", "Altitude",
        "AmountOfSubstance", "AmountOfSubstancePerUnitVolume", "Angle", "AngularAcceleration", "AngularMomentum",
        "AngularVelocity", "Area", "Capacitance", "Conductance", "Conductivity", "Count", "Density", "Dimensionless",
        "DoseEquivalent", "DoseEquivalentRate", "DynamicViscosity", "ElectricCharge", "ElectricCurrent",
        "ElectricCurrentDensity", "ElectricFieldStrength", "Energy", "Exposure", "Force", "Frequency", "Illuminance",
        "Inductance", "Irradiance", "KinematicViscosity", "Length", "LinearMomentum", "Luminance", "LuminousFlux",
        "LuminousIntensity", "MagneticFlux", "MagneticFluxDensity", "MagneticVectorPotential", "Mass",
        "MassConcentration", "MassFlowRate", "MassPerAreaTime", "MemoryCapacity", "MolalityOfSolute", "MolarEnergy",
        "MolarMass", "MolarVolume", "Power", "Pressure", "RadiantFlux", "RadiantIntensity", "RelativeHumidity",
        "Resistance", "Resistivity", "SolidAngle", "SpecificVolume", "Speed", "SurfaceDensity", "SurfaceTension",
        "Temperature", "Time", "Torque", "Voltage", "Volume", "VolumeFlowRate", "VolumeFraction", "VolumetricFlux",
        "Wavenumber"
    ]

    /// What a Rec 20 unit measures, for profiles that do not say.
    public static func implied(byUnit unit: String) -> String {
        switch unit {
        case "CEL", "FAH", "KEL": "Temperature"
        case "PAL", "KPA", "A97": "Pressure"
        case "MMT", "CMT", "MTR": "Length"
        case "MTS", "KMH": "Speed"
        case "LUX": "Illuminance"
        case "D54": "Irradiance"
        case "LTR": "Volume"
        case "L2", "MQH": "VolumeFlowRate"
        case "DD": "Angle"
        case "H61", "G42": "Conductivity"
        case "VLT", "2Q": "Voltage"
        case "AMP": "ElectricCurrent"
        case "NA", "M1", "59": "MassConcentration"
        case "HUR", "SEC": "Time"
        default: "Dimensionless"
        }
    }
}
